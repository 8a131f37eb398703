// The agent's own chunk codec; the test kit's publisher uses the same one.
export * from '../src/rtmp/rtmp-chunks';
