import { ManagedProcess } from './managed-process';

describe('ManagedProcess', () => {
  it('runs, reports output and exit, and refuses an illegal move', async () => {
    const chunks: string[] = [];
    const child = new ManagedProcess({
      command: 'sh',
      args: ['-c', 'echo out; echo oops >&2; exit 3'],
      onStdout: (c) => chunks.push(c),
    });
    expect(child.state).toBe('idle');
    child.start();
    expect(() => child.start()).toThrow('starting → starting is not allowed');
    const exit = await child.waitForExit();
    expect(exit).toMatchObject({ code: 3, requested: false, stderrTail: ['oops'] });
    expect(chunks.join('')).toBe('out\n');
    expect(child.state).toBe('exited');
  });

  it('escalates to SIGKILL when SIGINT and SIGTERM are ignored', async () => {
    const child = new ManagedProcess({ command: 'sh', args: ['-c', "trap '' INT TERM; while true; do sleep 0.05; done"] });
    child.start();
    await new Promise((resolve) => setTimeout(resolve, 150));
    const started = Date.now();
    const exit = await child.stop(400);
    expect(exit).toMatchObject({ signal: 'SIGKILL', requested: true });
    expect(Date.now() - started).toBeGreaterThanOrEqual(350);
  });

  it('reports a command that cannot start as exited', async () => {
    const child = new ManagedProcess({ command: '/nonexistent/ffmpeg', args: [] });
    child.start();
    const exit = await child.waitForExit();
    expect(exit.code).toBeNull();
    expect(exit.stderrTail.join(' ')).toContain('ENOENT');
  });
});
