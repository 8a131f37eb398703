// The agent's own FLV codec; the test kit uses the same one.
export * from '../src/flv/flv-tags';
