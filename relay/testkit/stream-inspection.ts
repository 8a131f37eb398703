import { checkCleanliness, type CleanlinessOptions, type CleanlinessVerdict } from './cleanliness-checker';
import { measureDirtiness, type DirtinessReport } from './dirtiness-report';
import type { ProbeResult } from './ffprobe-json';
import { probePackets, type ProbeOptions } from './ffprobe-packets';

/** ffprobe + the pure analyses, for an RTMP URL, an HLS playlist (URL or path) or a file. */

export interface InspectionOptions extends ProbeOptions {
  cleanliness?: Partial<CleanlinessOptions>;
}

export async function checkStreamCleanliness(
  source: string,
  options: InspectionOptions = {},
): Promise<CleanlinessVerdict & { probe: ProbeResult }> {
  const probe = await probePackets(source, options);
  return { ...checkCleanliness(probe, options.cleanliness), probe };
}

export async function proveDirtiness(source: string, options: ProbeOptions = {}): Promise<DirtinessReport> {
  return measureDirtiness(await probePackets(source, options));
}
