import http from 'node:http';

export interface SseEvent {
  id: string;
  event: string;
  data: { type: string; streamId: string; status: string | null; destinationId: string | null; reason: string | null };
}

/** A minimal SSE reader over a real socket, as an SDK or a browser would connect. */
export function openSse(url: string, headers: http.OutgoingHttpHeaders) {
  const events: SseEvent[] = [];
  let raw = '';
  let buffer = '';
  let status = 0;
  let ended = false; // the server ended the response (not the client closing it)
  const req = http.get(url, { headers: { Accept: 'text/event-stream', ...headers } });
  const ready = new Promise<void>((resolve, reject) => {
    req.on('response', (res) => {
      status = res.statusCode ?? 0;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const fields = Object.fromEntries(
            block
              .split('\n')
              .filter((line) => line && !line.startsWith(':'))
              .map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]),
          );
          if (fields.data) events.push({ id: fields.id, event: fields.event, data: JSON.parse(fields.data) });
        }
      });
      res.on('end', () => (ended = true));
      resolve();
    });
    req.on('error', reject);
  });
  return {
    events,
    ready,
    raw: () => raw,
    status: () => status,
    ended: () => ended,
    close: () => req.destroy(),
    async waitFor(predicate: (event: SseEvent) => boolean, timeoutMs = 5000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`No matching event; got ${JSON.stringify(events.map((e) => e.event))}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
  };
}
