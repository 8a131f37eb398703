// The agent's own parser; the test kit's publisher uses the same one.
export * from '../src/rtmp/rtmp-url';
