import { parseCpuTicks, ProcessUsage } from './process-usage';

describe('parseCpuTicks', () => {
  it('adds utime and stime, also when the command name holds spaces and parentheses', () => {
    const rest = 'S 1 1 1 0 -1 4194304 100 0 0 0 250 70 0 0 20 0 1 0 5 1000 10';
    expect(parseCpuTicks(`42 (ffmpeg) ${rest}`)).toBe(320);
    expect(parseCpuTicks(`42 (a (b) c) ${rest}`)).toBe(320);
    expect(parseCpuTicks('42 (x)')).toBeNull();
  });
});

describe('ProcessUsage', () => {
  it('reads this process: no CPU figure on the first reading, a figure and a PSS after', () => {
    let now = 1_000;
    const usage = new ProcessUsage(() => now);
    expect(usage.cpuPercent(process.pid)).toBeNull();
    now += 1000;
    expect(usage.cpuPercent(process.pid)).toEqual(expect.any(Number));
    expect(usage.memoryMb(process.pid)).toBeGreaterThan(1);
    expect(usage.cpuPercent(2 ** 22 + 12345)).toBeNull();
  });
});
