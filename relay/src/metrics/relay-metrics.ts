import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** What the relay exposes at /metrics. Label values are ids, never URLs (they hold keys). */
export class RelayMetrics {
  readonly registry = new Registry();
  readonly rtmpConnections = new Gauge({
    name: 'relay_rtmp_connections',
    help: 'RTMP clients connected to nginx',
    registers: [this.registry],
  });
  readonly activeStreams = new Gauge({ name: 'relay_active_streams', help: 'Streams being carried', registers: [this.registry] });
  readonly publishes = new Counter({
    name: 'relay_publish_attempts_total',
    help: 'Publish attempts by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly destinationState = new Gauge({
    name: 'relay_destination_state',
    help: '1 for the state each destination is in',
    labelNames: ['stream', 'destination', 'state'],
    registers: [this.registry],
  });
  readonly destinationReconnects = new Counter({
    name: 'relay_destination_reconnects_total',
    help: 'Destination connections lost and retried',
    labelNames: ['stream', 'destination'],
    registers: [this.registry],
  });
  readonly destinationFailures = new Counter({
    name: 'relay_destination_failed_attempts_total',
    help: 'Failed destination attempts by error code (dns_failed, key_rejected, stalled, …)',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly encoderFps = new Gauge({
    name: 'relay_encoder_fps',
    help: 'Encoder output frame rate',
    labelNames: ['stream'],
    registers: [this.registry],
  });
  readonly encoderBitrate = new Gauge({
    name: 'relay_encoder_bitrate_kbps',
    help: 'Encoder output bitrate',
    labelNames: ['stream'],
    registers: [this.registry],
  });
  readonly droppedFrames = new Gauge({
    name: 'relay_encoder_dropped_frames',
    help: 'Frames the encoder dropped to hold a constant rate',
    labelNames: ['stream'],
    registers: [this.registry],
  });
  readonly duplicatedFrames = new Gauge({
    name: 'relay_encoder_duplicated_frames',
    help: 'Frames the encoder repeated to hold a constant rate',
    labelNames: ['stream'],
    registers: [this.registry],
  });
  readonly encoderLag = new Gauge({
    name: 'relay_encoder_lag_seconds',
    help: "How far the encoder's output trails the stream clock (the relay's own, so this is real lag)",
    labelNames: ['stream'],
    registers: [this.registry],
  });
  readonly outputMode = new Gauge({
    name: 'relay_stream_output_mode',
    help: '1 for the mode a stream is in: encode (cleaned by an encode) or passthrough (clean input, copied)',
    labelNames: ['stream', 'mode'],
    registers: [this.registry],
  });
  readonly ingestFps = new Gauge({
    name: 'relay_ingest_fps',
    help: 'Pictures a second the glasses sent over the last 10 s',
    labelNames: ['stream'],
    registers: [this.registry],
  });
  readonly ingestBitrate = new Gauge({
    name: 'relay_ingest_bitrate_kbps',
    help: 'What the glasses sent over the last 10 s, kbit/s',
    labelNames: ['stream'],
    registers: [this.registry],
  });
  readonly ingestGrade = new Gauge({
    name: 'relay_ingest_grade',
    help: "1 for the grade of a stream's uplink: good, degraded or poor",
    labelNames: ['stream', 'grade'],
    registers: [this.registry],
  });
  readonly capacity = new Gauge({
    name: 'relay_capacity_streams',
    help: 'Streams this relay offers the API (measured headroom unless RELAY_CAPACITY is fixed)',
    registers: [this.registry],
  });
  readonly cpuPercent = new Gauge({
    name: 'relay_streams_cpu_percent',
    help: 'CPU used by the agent and its FFmpeg processes, percent of one core',
    registers: [this.registry],
  });
  readonly reconnectingStreams = new Gauge({
    name: 'relay_reconnecting_streams',
    help: 'Streams whose glasses are gone while the slate keeps their destinations fed',
    registers: [this.registry],
  });
  readonly processRestarts = new Counter({
    name: 'relay_process_restarts_total',
    help: 'Child processes restarted after dying',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
