/** @jest-config-loader esbuild-register */
// Node 20 cannot load a TypeScript config natively; jest 30 needs a loader, and
// esbuild-register reuses the esbuild that tsx already brings (ts-node would be a second compiler).
import type { Config } from 'jest';

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': '@swc/jest' },
  moduleNameMapper: {
    '^(\\.{1,2}/.*)\\.js$': '$1',
    '^(@glasses-restream/client|glasses-restream/client)$': '<rootDir>/client/src/index.ts',
  },
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/client/dist/'],
} satisfies Config;

const config: Config = {
  // The relay specs encode video in real time with FFmpeg: two at once on a 2-core machine starve
  // each other (and the checker then sees a struggling encoder), so test files run one at a time.
  maxWorkers: 1,
  // Jest reads testTimeout from the root config only (a project's own is silently ignored): 30 s
  // for every test that does not set its own, as the integration ones (real Postgres, FFmpeg) need.
  testTimeout: 30_000,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      // Pure logic and services with strict fakes: no database, no Redis, no FFmpeg.
      testMatch: [
        '<rootDir>/src/**/*.spec.ts',
        '<rootDir>/relay/**/*.spec.ts',
        '<rootDir>/client/**/*.spec.ts',
        '<rootDir>/admin-ui/src/**/*.spec.ts',
      ],
      testPathIgnorePatterns: ['<rootDir>/src/database/'],
    },
    {
      ...shared,
      displayName: 'integration',
      // Real Postgres (a migrated template database cloned per test file) and a real Redis,
      // started once per run by test/setup; real FFmpeg and nginx-rtmp for the relay specs.
      testMatch: [
        '<rootDir>/test/**/*.spec.ts',
        '<rootDir>/test/**/*.int-spec.ts',
        '<rootDir>/src/database/*.spec.ts',
        '<rootDir>/relay/**/*.int-spec.ts',
      ],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};

export default config;
