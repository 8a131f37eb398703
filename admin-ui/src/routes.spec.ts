/// <reference types="jest" />
import { parseRoute } from './routes';

describe('dashboard routes', () => {
  it('maps each page URL under /admin', () => {
    expect(parseRoute('/admin')).toEqual({ page: 'streams' });
    expect(parseRoute('/admin/')).toEqual({ page: 'streams' });
    expect(parseRoute('/admin/destinations')).toEqual({ page: 'destinations' });
    expect(parseRoute('/admin/streams/ms_abc%2F1')).toEqual({ page: 'stream', streamId: 'ms_abc/1' });
    expect(parseRoute('/admin/apps')).toEqual({ page: 'apps' });
    expect(parseRoute('/admin/relays')).toEqual({ page: 'relays' });
    expect(parseRoute('/admin/jobs')).toEqual({ page: 'jobs' });
    expect(parseRoute('/admin/nope')).toEqual({ page: 'not-found' });
  });

  it('returns after sign-in only to a dashboard page, never to another site', () => {
    expect(parseRoute('/admin/login', '?next=%2Fadmin%2Fqueues')).toEqual({ page: 'login', next: '/admin/queues' });
    expect(parseRoute('/admin/login', '?next=https%3A%2F%2Fevil.example')).toEqual({ page: 'login', next: null });
    expect(parseRoute('/admin/login', '?next=%2F%2Fevil.example')).toEqual({ page: 'login', next: null });
    expect(parseRoute('/admin/login')).toEqual({ page: 'login', next: null });
  });
});
