const TONES: Record<string, string> = {
  active: 'good',
  broadcasting: 'good',
  live: 'good',
  starting: 'busy',
  connecting: 'busy',
  initializing: 'busy',
  reconnecting: 'warn',
  stopping: 'warn',
  draining: 'warn',
  retrying: 'warn',
  failed: 'bad',
  error: 'bad',
  offline: 'bad',
  stopped: 'muted',
  idle: 'muted',
  disabled: 'muted',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return <span className={`badge badge-${TONES[status] ?? 'muted'}`}>{label ?? status}</span>;
}
