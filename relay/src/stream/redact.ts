/** Removes a destination's URL and key from text (FFmpeg's stderr names the URL it failed on). */
export function redactDestination(text: string, destinationUrl: string): string {
  const lastSlash = destinationUrl.lastIndexOf('/');
  const key = lastSlash >= 0 ? destinationUrl.slice(lastSlash + 1) : '';
  const base = lastSlash >= 0 ? destinationUrl.slice(0, lastSlash) : destinationUrl;
  let result = text.split(destinationUrl).join(`${base}/****`);
  if (key.length >= 4) result = result.split(key).join('****');
  return result;
}

/** The most telling line of FFmpeg's stderr, for a destination's lastError. */
export function summariseFailure(stderrTail: readonly string[], fallback: string): string {
  const telling = [...stderrTail]
    .reverse()
    .find((line) => /error|refused|failed|timed out|broken pipe|reset|unreachable|denied|not found|end of file/i.test(line));
  const line = telling ?? stderrTail[stderrTail.length - 1] ?? fallback;
  return line.replace(/^\[[^\]]+\]\s*/, '').slice(0, 300);
}
