// API benchmark: requests/s and latency of creating and reading managed streams, next to
// GET /ping (touches nothing) as the baseline of this machine, Node and Nest. A benchmark,
// not a test: missing a target is reported, never fatal (machines are noisy).
//
//   npm run bench:api -- [--duration 20] [--connections 50] [--streams 500] [--warmup 2]
//                        [--only ping,get,create] [--set KEY=VALUE ...] [--cpu-prof] [--trace-queries]
//
// How it runs, and why:
// - Postgres and Redis: throwaway ones started like the tests' (scripts/services/test-env.mjs),
//   or DATABASE_URL + REDIS_URL when both are set; always on a scratch database cloned from a
//   migrated template (bench/support/bench-services.ts).
// - The server is the real app (createApp) in a child process, so that the load generator
//   (autocannon, here) does not starve it on a 2-core machine; logging silenced, api role only
//   (no queue worker). tsx emits no decorator metadata, which Nest's injection needs, so the
//   child runs JS compiled with @swc/core and the root .swcrc, like jest (bench/support/compile-app.ts).
// - One tenant app; --streams streams are created beforehand for the GET phase. Phases run one
//   after another (ping, get, create), each after an unmeasured warm-up, --connections
//   connections for --duration seconds. Every create uses a new userId.
// - --set KEY=VALUE overrides the server's config (e.g. DATABASE_POOL_SIZE=20); --cpu-prof writes
//   a V8 profile of the server to dist/bench-profiles/ (open it in Chrome DevTools or speedscope);
//   --trace-queries lists the SQL of one create and one get, with timings.
// - Exit code: 1 when the benchmark itself failed (services, server start-up or crash, or any
//   non-2xx response or socket error: then the figures are not those of the intended path).
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchServices } from '../support/bench-services';
import { compileForBench, PROJECT_ROOT } from '../support/compile-app';
import { CREATE_PATH, createBody, LABELS, PhaseName, PHASES, precreateStreams, runPhase, traceOne } from './load';
import { errorDetails, formatMs, formatNumber, PhaseFigures, resultsTable, Target, targetsTable } from './report';
import { ServerProcess } from './server-process';

const OUT_DIR = path.join(PROJECT_ROOT, 'dist/bench-api');
const PROFILE_DIR = path.join(PROJECT_ROOT, 'dist/bench-profiles');

interface Flags {
  duration: number;
  connections: number;
  streams: number;
  warmup: number;
  only: PhaseName[];
  set: Record<string, string>;
  cpuProf: boolean;
  traceQueries: boolean;
}

function parseFlags(): Flags {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      streams: { type: 'string', default: '500' },
      warmup: { type: 'string', default: '2' },
      only: { type: 'string', default: PHASES.join(',') },
      set: { type: 'string', multiple: true, default: [] },
      'cpu-prof': { type: 'boolean', default: false },
      'trace-queries': { type: 'boolean', default: false },
    },
  });
  const positive = (name: string, raw: string, min = 1) => {
    const value = Number(raw);
    if (!Number.isInteger(value) || value < min) throw new Error(`--${name} must be an integer >= ${min}, not "${raw}"`);
    return value;
  };
  const only = values.only.split(',').map((name) => name.trim());
  for (const name of only)
    if (!PHASES.includes(name as PhaseName)) throw new Error(`--only: unknown phase "${name}" (${PHASES.join(', ')})`);
  const set: Record<string, string> = {};
  for (const entry of values.set) {
    const [key, ...rest] = entry.split('=');
    if (!key || rest.length === 0) throw new Error(`--set expects KEY=VALUE, not "${entry}"`);
    set[key] = rest.join('=');
  }
  return {
    duration: positive('duration', values.duration),
    connections: positive('connections', values.connections),
    streams: positive('streams', values.streams),
    warmup: positive('warmup', values.warmup, 0),
    only: PHASES.filter((phase) => only.includes(phase)),
    set,
    cpuProf: values['cpu-prof'],
    traceQueries: values['trace-queries'],
  };
}

const log = (msg: string) => process.stderr.write(`[bench:api] ${msg}\n`);

function targets(rows: Map<PhaseName, PhaseFigures>): Target[] {
  const list: Target[] = [];
  const create = rows.get('create');
  const get = rows.get('get');
  if (create) {
    list.push({
      label: 'create >= 500 req/s',
      measured: `${formatNumber(create.requestsPerSecond)} req/s`,
      met: create.requestsPerSecond >= 500,
    });
    list.push({ label: 'create p99 <= 50 ms', measured: `${formatMs(create.p99)} ms`, met: create.p99 <= 50 });
  }
  if (get)
    list.push({
      label: 'get >= 2,000 req/s',
      measured: `${formatNumber(get.requestsPerSecond)} req/s`,
      met: get.requestsPerSecond >= 2000,
    });
  return list;
}

async function main(): Promise<number> {
  const flags = parseFlags();
  const cleanups: (() => Promise<void>)[] = [];
  const cleanUp = async () => {
    for (const step of cleanups.reverse()) await step().catch((error: unknown) => log(`clean-up step failed: ${String(error)}`));
    cleanups.length = 0;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      log(`${signal}: cleaning up`);
      void cleanUp().finally(() => process.exit(130));
    });
  }
  // Other work on the machine skews the figures; print what it was doing when we started.
  const loadBefore = os
    .loadavg()
    .map((load) => load.toFixed(2))
    .join(' ');
  try {
    const compiled = await compileForBench({
      outDir: OUT_DIR,
      dirs: ['src', 'relay/protocol'],
      files: ['test/support/test-config.ts', 'bench/api/server.ts', 'bench/api/server-protocol.ts', 'bench/api/query-counter.ts'],
    });
    log(`compiled ${compiled} files with swc into ${path.relative(PROJECT_ROOT, OUT_DIR)}`);

    const services = await startBenchServices(process.env.BENCH_VERBOSE === '1' ? log : () => undefined);
    cleanups.push(() => services.stop());
    log(`services: ${services.origin}`);

    const server = await ServerProcess.start({
      script: path.join(OUT_DIR, 'bench/api/server.js'),
      cwd: PROJECT_ROOT,
      nodeArgs: flags.cpuProf ? ['--cpu-prof', '--cpu-prof-dir', PROFILE_DIR] : [],
      config: {
        DATABASE_URL: services.databaseUrl,
        REDIS_URL: services.redisUrl,
        LOG_LEVEL: 'silent',
        PROCESS_ROLE: 'api',
        // The static test relay would be full after 10 streams (503); the benchmark creates thousands.
        RTMP_RELAY_CAPACITY: '100000000',
        ...flags.set,
      },
    });
    cleanups.push(() => server.stop());
    log(`server listening on ${server.baseUrl}`);

    const streamIds = flags.only.includes('get') ? await precreateStreams(server, flags.streams) : [];
    if (streamIds.length > 0) log(`created ${streamIds.length} streams for the GET phase`);

    if (flags.traceQueries) {
      await traceOne(server, 'POST', CREATE_PATH, createBody());
      if (streamIds.length > 0) await traceOne(server, 'GET', `${CREATE_PATH}/${streamIds[0]}`);
    }

    const rows = new Map<PhaseName, PhaseFigures>();
    for (const phase of flags.only) {
      log(`${LABELS[phase]}: ${flags.warmup} s warm-up, then ${flags.duration} s with ${flags.connections} connections`);
      rows.set(phase, await runPhase(server, phase, flags, streamIds));
      if (server.exitStatus !== null) throw new Error(`the server died during ${LABELS[phase]} (${server.exitStatus})`);
    }

    const cpus = os.cpus();
    console.log(
      `\nAPI benchmark: ${flags.connections} connections, ${flags.duration} s per endpoint (after ${flags.warmup} s warm-up); ` +
        `create: 3 destinations, new userId each; get: ${streamIds.length} streams in rotation\n` +
        `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, load average before the run ${loadBefore}; ` +
        `services: ${services.origin}\n`,
    );
    const figures = [...rows.values()];
    console.log(resultsTable(figures, rows.get('ping')));
    console.log(
      '\nserver CPU ms/req: user + system CPU time of the server process per request sent (Node runs JS on one core, ' +
        'so 1,000 / this roughly bounds req/s); SQL/req: statements sent to Postgres per request, BEGIN/COMMIT included.',
    );
    const targetList = targets(rows);
    if (targetList.length > 0) console.log(`\n${targetsTable(targetList)}`);
    if (flags.cpuProf)
      console.log(`\nCPU profile of the server: ${path.relative(PROJECT_ROOT, PROFILE_DIR)}/ (written when it stops)`);

    const errors = errorDetails(figures);
    if (errors.length > 0) {
      console.log(`\nErrors (the figures above do not measure the intended path):\n${errors.join('\n')}`);
      return 1;
    }
    return 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
