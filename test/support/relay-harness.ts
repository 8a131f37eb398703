import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { RelayAgent } from '../../relay/src/agent/relay-agent';
import { parseRelayConfig, RelayConfig } from '../../relay/src/agent/relay-config';
import { TEST_RELAY_TOKEN } from './test-config';
import { findFreePort } from '../../relay/testkit/rtmp-sinks';

export interface RelayUnderTest {
  agent: RelayAgent;
  config: RelayConfig;
  hlsUrl(path: string): string;
  stop(): Promise<void>;
}

/** Relay settings for a test: free loopback ports, quick heartbeats, the test API's relay token. */
export async function relayTestEnv(
  apiBaseUrl: string,
  workDir: string,
  relayId = 'relay-under-test',
): Promise<Record<string, string>> {
  return {
    RELAY_API_URL: apiBaseUrl,
    RELAY_TOKEN: TEST_RELAY_TOKEN,
    RELAY_ID: relayId,
    RELAY_PUBLIC_HOST: '127.0.0.1',
    RELAY_BIND_HOST: '127.0.0.1',
    RELAY_RTMP_PORT: String(await findFreePort()),
    RELAY_HLS_PORT: String(await findFreePort()),
    RELAY_CONTROL_PORT: String(await findFreePort()),
    RELAY_WORK_DIR: workDir,
    RELAY_HEARTBEAT_MS: '1000',
    RELAY_STATUS_INTERVAL_MS: '1000',
    RELAY_STOP_GRACE_MS: '2000',
    // The agent runs inside the test process here, beside the API and jest: its measured CPU would be
    // theirs too, so the capacity is fixed (RELAY_CAPACITY=auto is the relay's own default).
    RELAY_CAPACITY: '10',
    LOG_LEVEL: process.env.RELAY_TEST_LOG ?? 'silent',
  };
}

/** A real relay agent (nginx-rtmp + FFmpeg) on free loopback ports, talking to the test API. */
export async function startRelay(apiBaseUrl: string, overrides: Record<string, string> = {}): Promise<RelayUnderTest> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'relay-test-'));
  const config = parseRelayConfig({ ...(await relayTestEnv(apiBaseUrl, workDir)), ...overrides });
  const agent = new RelayAgent(config, pino({ level: config.LOG_LEVEL }));
  await agent.start();
  return {
    agent,
    config,
    hlsUrl: (p) => `http://127.0.0.1:${config.RELAY_HLS_PORT}${p}`,
    async stop() {
      await agent.stop();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`Timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
