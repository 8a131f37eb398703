import { useState } from 'react';
import { api, errorMessage } from '../../api';
import { Notice } from '../../components/Notice';
import { formatTime } from '../../format';
import type { AdminStreamDetail, StreamEvent } from '../../types';

interface Props {
  streamPath: string;
  events: StreamEvent[];
  onOlder: (older: StreamEvent[]) => void;
}

/** The stream's history, newest last, with older pages loaded on request. */
export function EventHistory({ streamPath, events, onOlder }: Props) {
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  async function loadOlder() {
    const oldest = events[0];
    if (!oldest) return;
    try {
      const page = await api.get<AdminStreamDetail>(`${streamPath}?beforeEventId=${encodeURIComponent(oldest.id)}`);
      const older = (page.events ?? []).filter((event) => event.createdAt <= oldest.createdAt && event.id !== oldest.id);
      if (older.length === 0) setDone(true);
      else onOlder(older);
    } catch (error) {
      setProblem(errorMessage(error));
    }
  }

  return (
    <section aria-labelledby="history-title">
      <h2 id="history-title">Event history</h2>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {events.length > 0 && !done ? (
        <button type="button" onClick={() => void loadOlder()}>
          Load older events
        </button>
      ) : null}
      {events.length === 0 ? <p className="empty">No events yet.</p> : null}
      <ol className="events" aria-label="Events, oldest first">
        {events.map((event) => (
          <li key={event.id}>
            <time dateTime={event.createdAt}>{formatTime(event.createdAt)}</time>
            <span className="event-type">{event.type}</span>
            {event.status ? <span className="event-status">{event.status}</span> : null}
            {event.reason ? <span className="event-reason">{event.reason}</span> : null}
            {event.data && typeof event.data.name === 'string' ? <span className="muted">{event.data.name}</span> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
