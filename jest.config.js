// ESM + ts-jest: tests import `jest` from @jest/globals and load modules under test after mocking them.
export default {
  testEnvironment: 'node',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }]
  },
  testTimeout: 30000,
  reporters: ['default', '<rootDir>/scripts/jest-passed-failed-reporter.cjs']
}
