/** Polls `probe` every 100 ms until it gives a value; past `timeoutMs`, fails with the process output so far. */
export async function waitForValue<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs: number,
  output: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} within ${timeoutMs} ms failed; output:\n${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
