import { useEffect, useRef, useState } from 'react';
import type Hls from 'hls.js';

/**
 * Plays the stream's HLS in the page: natively where the browser can (Safari, iOS), otherwise with
 * hls.js (loaded on demand so the rest of the dashboard stays small).
 */
export function HlsPreview({ url, title }: { url: string | null; title: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [state, setState] = useState<'idle' | 'loading' | 'playing' | 'waiting' | 'unsupported'>('idle');

  useEffect(() => {
    const element = video.current;
    if (!element || !url) return;
    let hls: Hls | null = null;
    let cancelled = false;
    setState('loading');
    const playing = () => setState('playing');
    element.addEventListener('playing', playing);
    if (element.canPlayType('application/vnd.apple.mpegurl')) {
      element.src = url;
      element.play().catch(() => undefined);
    } else {
      void import('hls.js').then(({ default: HlsPlayer }) => {
        if (cancelled) return;
        if (!HlsPlayer.isSupported()) {
          setState('unsupported');
          return;
        }
        hls = new HlsPlayer({ liveSyncDurationCount: 3, manifestLoadingMaxRetry: 6 });
        hls.on(HlsPlayer.Events.ERROR, (_event, data) => {
          if (data.fatal) setState('waiting');
        });
        hls.loadSource(url);
        hls.attachMedia(element);
        element.play().catch(() => undefined);
      });
    }
    return () => {
      cancelled = true;
      element.removeEventListener('playing', playing);
      hls?.destroy();
      element.removeAttribute('src');
    };
  }, [url]);

  if (!url) return <div className="preview preview-empty">No HLS playback for this stream yet.</div>;
  return (
    <figure className="preview">
      <video ref={video} muted playsInline controls aria-label={`Preview of ${title}`} />
      <figcaption>
        {state === 'playing'
          ? 'Playing (muted)'
          : state === 'waiting'
            ? 'Waiting for video from the glasses…'
            : state === 'unsupported'
              ? 'This browser cannot play HLS.'
              : 'Loading preview…'}{' '}
        <a href={url} target="_blank" rel="noreferrer">
          Open HLS
        </a>
      </figcaption>
    </figure>
  );
}
