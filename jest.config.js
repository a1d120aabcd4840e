// ESM + ts-jest: tests import `jest` from @jest/globals and load modules under test after mocking them.
//
// Workers: most of the suite's time is spent waiting (on the bundled action in a child process, on sockets,
// on timers a test sets off), not computing, so the test files run four at a time even on a 2-core machine.
// JEST_MAX_WORKERS overrides it (e.g. 1 to run in band, for timing one file).
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  // Says once which Node runs the bundle in end-to-end runs (Node 24 where it can be had).
  globalSetup: '<rootDir>/__tests__/support/global-setup.mjs',
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 4,
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-passed-failed-reporter.cjs']
}
