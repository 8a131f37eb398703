// Small pure formatters for numbers the dashboard shows.

export function formatDuration(totalSeconds: number | null | undefined): string {
  if (totalSeconds === null || totalSeconds === undefined || !Number.isFinite(totalSeconds) || totalSeconds < 0) return '—';
  const seconds = Math.floor(totalSeconds);
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  if (h > 0) return `${h}h ${String(m).padStart(2, '0')}m ${String(s).padStart(2, '0')}s`;
  if (m > 0) return `${m}m ${String(s).padStart(2, '0')}s`;
  return `${s}s`;
}

/** Uptime that keeps ticking between server updates: from startedAt when known. */
export function uptimeSeconds(startedAt: string | null, fallback: number | null, nowMs: number): number | null {
  if (startedAt) {
    const started = Date.parse(startedAt);
    if (Number.isFinite(started)) return Math.max(0, (nowMs - started) / 1000);
  }
  return fallback;
}

/** The reconnect window as operators read it: how long the slate stays on air, or that there is none. */
export function formatReconnectWindow(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return '—';
  if (seconds <= 0) return 'none (the stream waits without a slate)';
  return `${formatDuration(seconds)} with the slate on air`;
}

export function formatBitrate(kbps: number | null | undefined): string {
  if (kbps === null || kbps === undefined) return '—';
  return kbps >= 1000 ? `${(kbps / 1000).toFixed(1)} Mbps` : `${Math.round(kbps)} kbps`;
}

export function formatNumber(value: number | null | undefined, unit = ''): string {
  if (value === null || value === undefined) return '—';
  return `${Number.isInteger(value) ? value : value.toFixed(1)}${unit}`;
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function maskedKey(last4: string): string {
  // The API sends only the last characters; show them behind dots so it reads as a hidden key.
  const tail = last4.replace(/^[•*]+/, '');
  return `••••${tail}`;
}

export function loadPercent(load: number, capacity: number): number {
  if (capacity <= 0) return 100;
  return Math.min(100, Math.round((load / capacity) * 100));
}
