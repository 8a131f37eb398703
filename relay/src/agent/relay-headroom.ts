import type { OutputMode } from '../../protocol/relay-protocol.schemas';

/**
 * Pure: how many streams this relay can carry, from what its streams really cost. Every new stream
 * starts encoded (passthrough only follows once its input proved clean), so the free room is counted
 * in encodes: the mean measured cost of this relay's encoded streams, or a default before it has any.
 * A relay full of copied streams therefore offers more room than one full of encodes.
 */

export interface StreamUsage {
  mode: OutputMode;
  /** Percent of one core used by the stream's FFmpeg processes. */
  cpuPercent: number;
  /** Proportional set size of the stream's FFmpeg processes. */
  memoryMb: number;
}

export interface HeadroomInput {
  cores: number;
  /** Percent of all cores the relay may use (e.g. 80: keep a fifth for spikes, nginx and the system). */
  cpuBudgetPercent: number;
  memoryBudgetMb: number;
  /** The agent itself (it plays, restamps and publishes every stream: a real share per stream). */
  agent: { cpuPercent: number; memoryMb: number };
  streams: readonly StreamUsage[];
}

export interface Headroom {
  capacity: number;
  freeStreams: number;
  /** What one more (encoded) stream is expected to cost. */
  encodeCost: { cpuPercent: number; memoryMb: number };
  used: { cpuPercent: number; memoryMb: number };
}

/** A 720p encode of a dirty camera plus its agent share, measured by bench/relay (rounded up). */
export const DEFAULT_ENCODE_COST = { cpuPercent: 30, memoryMb: 100 } as const;

export function relayHeadroom(input: HeadroomInput): Headroom {
  const count = input.streams.length;
  const agentShare = {
    cpuPercent: count > 0 ? input.agent.cpuPercent / count : 0,
    memoryMb: count > 0 ? input.agent.memoryMb / count : 0,
  };
  const encoded = input.streams.filter((s) => s.mode === 'encode');
  const encodeCost =
    encoded.length === 0
      ? { ...DEFAULT_ENCODE_COST }
      : {
          cpuPercent: Math.max(1, mean(encoded.map((s) => s.cpuPercent)) + agentShare.cpuPercent),
          memoryMb: Math.max(1, mean(encoded.map((s) => s.memoryMb)) + agentShare.memoryMb),
        };
  const used = {
    cpuPercent: input.agent.cpuPercent + sum(input.streams.map((s) => s.cpuPercent)),
    memoryMb: input.agent.memoryMb + sum(input.streams.map((s) => s.memoryMb)),
  };
  const cpuRoom = (input.cores * input.cpuBudgetPercent - used.cpuPercent) / encodeCost.cpuPercent;
  const memoryRoom = (input.memoryBudgetMb - used.memoryMb) / encodeCost.memoryMb;
  const freeStreams = Math.max(0, Math.floor(Math.min(cpuRoom, memoryRoom)));
  return { capacity: Math.max(1, count + freeStreams), freeStreams, encodeCost, used };
}

const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);
const mean = (values: number[]): number => sum(values) / values.length;
