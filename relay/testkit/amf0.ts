// The agent's own AMF0 codec; the test kit's publisher uses the same one.
export * from '../src/rtmp/amf0';
