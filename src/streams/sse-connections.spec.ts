import { SseConnections } from './sse-connections';

describe('SseConnections', () => {
  it('ends every open stream once at shutdown, not those that already let go', () => {
    const sut = new SseConnections();
    const first = jest.fn();
    const second = jest.fn();
    const gone = jest.fn();
    sut.add(first);
    sut.add(second);
    sut.add(gone)();
    sut.onModuleDestroy();
    sut.onModuleDestroy();
    expect(first).toHaveBeenCalledTimes(1);
    expect(second).toHaveBeenCalledTimes(1);
    expect(gone).not.toHaveBeenCalled();
  });

  it('accepts streams until shutdown, then refuses new ones with 503', () => {
    const sut = new SseConnections();
    expect(() => sut.assertAccepting()).not.toThrow();
    sut.onModuleDestroy();
    expect(() => sut.assertAccepting()).toThrow(expect.objectContaining({ status: 503, code: 'unavailable' }) as Error);
  });

  it('ends at once a stream registered after shutdown began (it was being set up)', () => {
    const sut = new SseConnections();
    sut.onModuleDestroy();
    const late = jest.fn();
    const unregister = sut.add(late);
    expect(late).toHaveBeenCalledTimes(1);
    expect(() => unregister()).not.toThrow();
  });
});
