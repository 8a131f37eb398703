export * from '../src/flv/flv-tags.fixtures';
