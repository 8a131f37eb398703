// API benchmark: requests/s and latency of creating and reading managed streams, next to
// GET /ping (touches nothing) as the baseline of this machine, Node and Nest. A benchmark,
// not a test: missing a target is reported, never fatal (machines are noisy).
//
//   npm run bench:api -- [--duration 20] [--connections 50] [--streams 500] [--warmup 2]
//                        [--only ping,get,create] [--modes saturation,rate]
//                        [--create-rate 500] [--get-rate 2000] [--timeout 5] [--max-sockets 256]
//                        [--set KEY=VALUE ...] [--cpu-prof] [--trace-queries] [--print-summary]
//
// Two modes per endpoint:
// - saturation (closed loop, autocannon): --connections connections each send the next request
//   as soon as the last is answered; gives the most requests/s the server manages, compared with
//   GET /ping in the same run.
// - rate (open loop, open-loop.ts): --create-rate creates/s and --get-rate gets/s offered whatever
//   the server does, latency from each request's scheduled send time (no coordinated omission);
//   a request unanswered --timeout seconds after its scheduled time is an error.
// The targets table puts today's figures (targets.ts, recorded before issue 13's cheaper create)
// beside this run's. Quick look: --duration 3 --warmup 1 --streams 100.
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
//   Timeouts at a fixed rate are the server falling behind: a missed target, not a failure.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startBenchServices } from '../support/bench-services';
import { compileForBench, PROJECT_ROOT } from '../support/compile-app';
import { CREATE_PATH, createBody, LABELS, PhaseName, PHASES, precreateStreams, runPhase, runRatePhase, traceOne } from './load';
import { errorDetails, PhaseFigures, rateTable, RateFigures, resultsTable, Summary, comparedTargetsTable } from './report';
import { buildTargets, summaryLiteral } from './targets';
import { ServerProcess } from './server-process';

const OUT_DIR = path.join(PROJECT_ROOT, 'dist/bench-api');
const PROFILE_DIR = path.join(PROJECT_ROOT, 'dist/bench-profiles');

type Mode = 'saturation' | 'rate';
const MODES: Mode[] = ['saturation', 'rate'];

interface Flags {
  duration: number;
  connections: number;
  streams: number;
  warmup: number;
  only: PhaseName[];
  modes: Mode[];
  createRate: number;
  getRate: number;
  timeoutMs: number;
  maxSockets: number;
  set: Record<string, string>;
  cpuProf: boolean;
  traceQueries: boolean;
  printSummary: boolean;
}

function parseFlags(): Flags {
  const { values } = parseArgs({
    options: {
      duration: { type: 'string', default: '20' },
      connections: { type: 'string', default: '50' },
      streams: { type: 'string', default: '500' },
      warmup: { type: 'string', default: '2' },
      only: { type: 'string', default: PHASES.join(',') },
      modes: { type: 'string', default: MODES.join(',') },
      'create-rate': { type: 'string', default: '500' },
      'get-rate': { type: 'string', default: '2000' },
      timeout: { type: 'string', default: '5' },
      'max-sockets': { type: 'string', default: '256' },
      'print-summary': { type: 'boolean', default: false },
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
  const modes = values.modes.split(',').map((name) => name.trim());
  for (const name of modes)
    if (!MODES.includes(name as Mode)) throw new Error(`--modes: unknown mode "${name}" (${MODES.join(', ')})`);
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
    modes: MODES.filter((mode) => modes.includes(mode)),
    createRate: positive('create-rate', values['create-rate']),
    getRate: positive('get-rate', values['get-rate']),
    timeoutMs: positive('timeout', values.timeout) * 1000,
    maxSockets: positive('max-sockets', values['max-sockets']),
    set,
    cpuProf: values['cpu-prof'],
    traceQueries: values['trace-queries'],
    printSummary: values['print-summary'],
  };
}

const log = (msg: string) => process.stderr.write(`[bench:api] ${msg}\n`);

function summarize(rows: Map<PhaseName, PhaseFigures>, rateRows: Map<PhaseName, RateFigures>): Summary {
  const ping = rows.get('ping')?.requestsPerSecond;
  const saturation = (phase: PhaseName) => {
    const row = rows.get(phase);
    if (!row) return undefined;
    return {
      perSecond: row.requestsPerSecond,
      vsPing: ping ? row.requestsPerSecond / ping : undefined,
      p99: row.p99,
      sqlPerRequest: row.queriesPerRequest,
      cpuMsPerRequest: row.serverCpuMsPerRequest,
    };
  };
  const atRate = (phase: PhaseName) => {
    const row = rateRows.get(phase);
    if (!row) return undefined;
    const { offered, p50, p99, errors, requests, timeoutMs } = row;
    return { offered, p50, p99, errors, requests, timeoutMs };
  };
  return {
    pingPerSecond: ping,
    pingCpuMsPerRequest: rows.get('ping')?.serverCpuMsPerRequest,
    createAtRate: atRate('create'),
    getAtRate: atRate('get'),
    createSaturation: saturation('create'),
    getSaturation: saturation('get'),
  };
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
    const rateRows = new Map<PhaseName, RateFigures>();
    const checkAlive = (phase: PhaseName) => {
      if (server.exitStatus !== null) throw new Error(`the server died during ${LABELS[phase]} (${server.exitStatus})`);
    };
    for (const phase of flags.only) {
      if (flags.modes.includes('saturation') || phase === 'ping') {
        log(`${LABELS[phase]}: ${flags.warmup} s warm-up, then ${flags.duration} s with ${flags.connections} connections`);
        rows.set(phase, await runPhase(server, phase, flags, streamIds));
        checkAlive(phase);
      }
      if (flags.modes.includes('rate') && phase !== 'ping') {
        const rate = phase === 'create' ? flags.createRate : flags.getRate;
        log(`${LABELS[phase]}: ${flags.warmup} s warm-up, then ${flags.duration} s at ${rate}/s offered`);
        rateRows.set(phase, await runRatePhase(server, phase, { ...flags, rate }, streamIds));
        checkAlive(phase);
      }
    }

    const cpus = os.cpus();
    console.log(
      `\nAPI benchmark: ${flags.connections} connections, ${flags.duration} s per endpoint (after ${flags.warmup} s warm-up); ` +
        `create: 3 destinations, new userId each; get: ${streamIds.length} streams in rotation\n` +
        `Node ${process.version}, ${cpus.length} × ${cpus[0]?.model.trim() ?? 'cpu'}, load average before the run ${loadBefore}; ` +
        `services: ${services.origin}\n`,
    );
    const figures = [...rows.values()];
    const rateFigures = [...rateRows.values()];
    if (figures.length > 0)
      console.log(`Saturation (closed loop, ${flags.connections} connections):\n${resultsTable(figures, rows.get('ping'))}`);
    if (rateFigures.length > 0) {
      console.log(
        `\nFixed offered rate (open loop; latency from the scheduled send time, timeout ${flags.timeoutMs / 1000} s):\n${rateTable(rateFigures)}`,
      );
      const lag = Math.max(...rateFigures.map((row) => row.maxSendLagMs));
      if (lag > 20) console.log(`(the load generator fell up to ${Math.round(lag)} ms behind its schedule: it was busy too)`);
    }
    console.log(
      '\nserver CPU ms/req: user + system CPU time of the server process per request sent (Node runs JS on one core, ' +
        'so 1,000 / this roughly bounds req/s); SQL/req: statements sent to Postgres per request, BEGIN/COMMIT included.',
    );
    const summary = summarize(rows, rateRows);
    const targetList = buildTargets(summary);
    if (targetList.length > 0) console.log(`\n${comparedTargetsTable(targetList)}`);
    if (flags.printSummary) console.log(`\nSummary (targets.ts's TODAY format):\n${summaryLiteral(summary)}`);
    if (flags.cpuProf)
      console.log(`\nCPU profile of the server: ${path.relative(PROJECT_ROOT, PROFILE_DIR)}/ (written when it stops)`);

    const errors = errorDetails([...figures, ...rateFigures]);
    if (errors.length > 0) console.log(`\nErrors:\n${errors.join('\n')}`);
    const failed =
      figures.some((row) => row.errors > 0) ||
      rateFigures.some((row) => Object.keys(row.errorBreakdown).some((kind) => kind !== 'timeout'));
    if (failed) {
      console.log('(responses other than 2xx or timeouts: the figures above do not measure the intended path)');
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
