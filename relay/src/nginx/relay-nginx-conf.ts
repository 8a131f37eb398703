import path from 'node:path';
import { RECORDINGS_LOCATION } from '../../protocol/recording-url';

export interface RelayNginxConfInput {
  modulePath: string;
  workDir: string;
  bindHost: string;
  rtmpPort: number;
  hlsPort: number;
  controlPort: number;
  /** Signed recording downloads (secure_link); absent: /recordings/ refuses everything. */
  recordingUrlSecret?: string;
}

export const LIVE_APP = 'live';

export function hlsRoot(workDir: string): string {
  return path.join(workDir, 'hls');
}

export function recordingsRoot(workDir: string): string {
  return path.join(workDir, 'recordings');
}

/** Only a link the API signed and that has not expired gets the file; anything else is a 403. */
function recordingsLocation(workDir: string, secret: string | undefined): string {
  if (!secret) return `location ${RECORDINGS_LOCATION} { return 403; }`;
  return `location ${RECORDINGS_LOCATION} {
            secure_link $arg_md5,$arg_expires;
            secure_link_md5 "$secure_link_expires$uri ${secret}";
            if ($secure_link = "") { return 403; }
            if ($secure_link = "0") { return 403; }
            alias ${recordingsRoot(workDir)}/;
            types { video/mp4 mp4; }
            add_header Cache-Control private;
            add_header Access-Control-Allow-Origin *;
        }`;
}

/**
 * Pure: the relay's nginx.conf. Glasses publish to `live` (each publish authorised by the agent's
 * on_publish callback); the agent plays each publish from loopback and carries it from there (its
 * encoder's output goes to the destinations from the agent itself, not through nginx). HTTP serves
 * HLS to viewers and /stat and /control to the agent alone. One foreground process, so the agent
 * supervises a single pid. nginx-rtmp keeps no GOP cache, hence wait_key/wait_video for a player
 * that joins a running publish (an agent restarted mid-stream).
 */
export function buildRelayNginxConf(input: RelayNginxConfInput): string {
  const { workDir, controlPort } = input;
  const callback = (event: string) => `http://127.0.0.1:${controlPort}/nginx/${event}`;
  const temp = (name: string) => path.join(workDir, 'tmp', name);
  return `load_module ${input.modulePath};
daemon off;
master_process off;
worker_processes 1;
pid ${path.join(workDir, 'nginx.pid')};
error_log ${path.join(workDir, 'nginx-error.log')} warn;
events { worker_connections 4096; }

rtmp {
    server {
        listen ${input.bindHost}:${input.rtmpPort};
        chunk_size 4096;
        ping 10s;
        ping_timeout 10s;

        application ${LIVE_APP} {
            live on;
            notify_method post;
            on_publish ${callback('on-publish')};
            on_publish_done ${callback('on-publish-done')};
            drop_idle_publisher 10s;
            # A player that joins late (a restarted encoder) starts at a keyframe, video first,
            # so FFmpeg's short probe finds the video stream.
            wait_key on;
            wait_video on;
            allow play 127.0.0.1;
            deny play all;
        }
    }
}

http {
    access_log off;
    client_body_temp_path ${temp('body')};
    proxy_temp_path ${temp('proxy')};
    fastcgi_temp_path ${temp('fastcgi')};
    uwsgi_temp_path ${temp('uwsgi')};
    scgi_temp_path ${temp('scgi')};

    server {
        listen ${input.bindHost}:${input.hlsPort};

        location /hls/ {
            alias ${hlsRoot(workDir)}/;
            types {
                application/vnd.apple.mpegurl m3u8;
                video/mp2t ts;
            }
            add_header Cache-Control no-cache;
            add_header Access-Control-Allow-Origin *;
        }

        ${recordingsLocation(workDir, input.recordingUrlSecret)}

        location /stat {
            rtmp_stat all;
            allow 127.0.0.1;
            deny all;
        }

        location /control {
            rtmp_control all;
            allow 127.0.0.1;
            deny all;
        }
    }
}
`;
}
