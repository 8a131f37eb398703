import { useEffect, useRef, useState } from 'react';

/** The current time, re-read every `intervalMs`, for clocks such as a stream's uptime. */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}

/**
 * Runs `refresh` at most once per `delayMs` however many times it is asked for, and every
 * `everyMs` while the page is visible (stats such as bitrate change without an event).
 */
export function useCoalescedRefresh(refresh: () => Promise<void>, delayMs = 300, everyMs = 10_000): () => void {
  const latest = useRef(refresh);
  latest.current = refresh;
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    const poll = setInterval(() => {
      if (document.visibilityState === 'visible') void latest.current();
    }, everyMs);
    return () => {
      clearInterval(poll);
      clearTimeout(timer.current);
    };
  }, [everyMs]);
  const request = useRef(() => {
    if (timer.current !== undefined) return;
    timer.current = setTimeout(() => {
      timer.current = undefined;
      void latest.current();
    }, delayMs);
  });
  return request.current;
}
