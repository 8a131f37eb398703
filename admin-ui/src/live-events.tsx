import { createContext, ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import type { StreamEvent } from './types';

// Every stream event type the service publishes (src/streams/stream-events.ts); SSE names each event
// by its type, and EventSource only delivers named events to listeners registered for that name.
const EVENT_TYPES = [
  'stream.status',
  'stream.playback',
  'stream.app_attached',
  'stream.app_detached',
  'destination.added',
  'destination.removed',
  'destination.status',
] as const;

export type LiveConnection = 'connecting' | 'live' | 'reconnecting';
type Listener = (event: StreamEvent) => void;

interface LiveEvents {
  connection: LiveConnection;
  subscribe: (listener: Listener) => () => void;
}

const LiveEventsContext = createContext<LiveEvents>({ connection: 'connecting', subscribe: () => () => undefined });

/** One EventSource for the whole signed-in dashboard; pages subscribe to what they show. */
export function LiveEventsProvider({ children }: { children: ReactNode }) {
  const listeners = useRef(new Set<Listener>());
  const [connection, setConnection] = useState<LiveConnection>('connecting');

  useEffect(() => {
    let source: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const deliver = (message: MessageEvent<string>) => {
      let event: StreamEvent;
      try {
        event = JSON.parse(message.data) as StreamEvent;
      } catch {
        return;
      }
      for (const listener of listeners.current) listener(event);
    };
    const open = () => {
      const current = new EventSource('/admin/api/events', { withCredentials: true });
      source = current;
      current.onopen = () => setConnection('live');
      current.onerror = () => {
        setConnection('reconnecting');
        // EventSource retries by itself unless the server refused it (closed): then retry ourselves.
        if (current.readyState === EventSource.CLOSED) retry = setTimeout(open, 5000);
      };
      for (const type of EVENT_TYPES) current.addEventListener(type, deliver);
      current.onmessage = deliver;
    };
    open();
    return () => {
      clearTimeout(retry);
      source?.close();
    };
  }, []);

  const subscribe = useCallback((listener: Listener) => {
    listeners.current.add(listener);
    return () => {
      listeners.current.delete(listener);
    };
  }, []);
  const value = useMemo(() => ({ connection, subscribe }), [connection, subscribe]);
  return <LiveEventsContext.Provider value={value}>{children}</LiveEventsContext.Provider>;
}

export function useLiveConnection(): LiveConnection {
  return useContext(LiveEventsContext).connection;
}

/** Calls `onEvent` for every live stream event while the component is mounted. */
export function useStreamEvents(onEvent: Listener): void {
  const { subscribe } = useContext(LiveEventsContext);
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => subscribe((event) => latest.current(event)), [subscribe]);
}
