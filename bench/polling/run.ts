// Cloudflare polling benchmark: 1,000 and 10,000 active Cloudflare streams against the local
// stand-in, 10 minutes of simulated time each, with polling alone and with webhooks. Prints the
// Cloudflare calls per 5 minutes (must stay <= 1,000) and how stale stream status gets.
// A benchmark, not a test: missed targets are reported, never fatal.
//
//   npm run bench:polling -- [--streams 1000,10000] [--minutes 10] [--modes polling,webhooks]
//
// Staleness is measured two ways: "detect" is how long after the glasses connected or dropped
// our stream status showed it (p50/p99 over every change); "age" is how long ago Cloudflare last
// confirmed each live stream's state, sampled every 7 simulated seconds.
import { spawn } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchServices } from '../support/bench-services';
import { compileForBench, PROJECT_ROOT } from '../support/compile-app';
import type { ScenarioResult } from './simulation';

const OUT_DIR = path.join(PROJECT_ROOT, 'dist/bench-polling');

function runScenario(env: Record<string, string>): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(OUT_DIR, 'bench/polling/simulation.js')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code === 0 && line) resolve(JSON.parse(line.slice('BENCH_RESULT '.length)) as ScenarioResult);
      else reject(new Error(`scenario ${JSON.stringify(env)} exited with ${code}`));
    });
  });
}

const fmt = (n: number) => (Number.isNaN(n) ? 'n/a' : n.toFixed(1));

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      streams: { type: 'string', default: '1000,10000' },
      minutes: { type: 'string', default: '10' },
      modes: { type: 'string', default: 'polling,webhooks' },
    },
  });
  const counts = values.streams.split(',').map(Number);
  const modes = values.modes.split(',');
  await compileForBench({
    outDir: OUT_DIR,
    dirs: ['src', 'relay/protocol', 'test/cloudflare-stand-in'],
    files: ['test/support/test-config.ts', 'bench/polling/simulation.ts', 'bench/polling/truth-model.ts'],
  });
  const fixture = 'test/fixtures/cloudflare/stream-live-inputs.openapi.json';
  await mkdir(path.dirname(path.join(OUT_DIR, fixture)), { recursive: true });
  await copyFile(path.join(PROJECT_ROOT, fixture), path.join(OUT_DIR, fixture));
  const services = await startBenchServices(() => undefined);
  const results: ScenarioResult[] = [];
  try {
    for (const streams of counts) {
      for (const mode of modes) {
        process.stderr.write(`bench:polling: ${streams} streams, ${mode}, ${values.minutes} simulated minutes...\n`);
        results.push(
          await runScenario({
            DATABASE_URL: services.databaseUrl,
            REDIS_URL: services.redisUrl,
            BENCH_STREAMS: String(streams),
            BENCH_WEBHOOKS: mode === 'webhooks' ? '1' : '0',
            BENCH_MINUTES: values.minutes,
          }),
        );
      }
    }
  } finally {
    await services.stop();
  }
  const rows = results.map((r) => {
    const target = r.webhooks ? 5 : 60;
    return [
      String(r.streams),
      r.webhooks ? 'webhooks + polling' : 'polling alone',
      `${r.callsMax5Min} ${r.callsMax5Min <= 1000 ? '(met)' : '(NOT met)'}`,
      String(r.rateLimited),
      `${fmt(r.detectP50)} / ${fmt(r.detectP99)} s ${r.detectP99 <= target ? '(met)' : `(NOT met, target ${target} s)`}`,
      `${fmt(r.ageP50)} / ${fmt(r.ageP99)} s`,
      `${r.changes - r.undetected}/${r.changes}`,
      `${r.wallSeconds} s`,
    ];
  });
  const header = [
    'streams',
    'mode',
    'max calls / 5 min (<= 1000)',
    '429s',
    'status detect p50 / p99',
    'confirm age p50 / p99',
    'changes seen',
    'wall',
  ];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
