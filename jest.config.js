/**
 * Two projects: `unit` (pure logic, no sockets or databases; `npm run test:unit`) and
 * `integration` (real servers on ephemeral ports, the browser tests in test/browser, the simulators, PGlite copied from the migrated
 * template of src/store/template.ts, made once in globalSetup). Both run on parallel
 * workers: every test owns its ports, data dirs, Redis prefixes and PostgreSQL databases.
 */
const transform = {
  '^.+\\.(t|j)s$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true },
        target: 'es2022',
      },
      module: { type: 'commonjs' },
    },
  ],
};

const shared = {
  testEnvironment: 'node',
  transform,
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
};

/** @type {import('jest').Config} */
module.exports = {
  // Most integration files wait on sockets and timers more than they compute: on this 2-core
  // machine 4 workers ran the whole suite in 136 s against 198 s with 2, every test passing.
  maxWorkers: 4,
  // Read from the top level only (a project's testTimeout is ignored). Generous: the box is shared.
  testTimeout: 30000,
  // A fresh clone has no timing cache: start the known-long files first (see the file).
  testSequencer: '<rootDir>/test/heavy-first-sequencer.js',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/test/unit'],
      testMatch: ['**/*.test.ts'],
    },
    {
      ...shared,
      displayName: 'integration',
      // test/browser drives Debian's Chromium against a gateway: real sockets too.
      roots: ['<rootDir>/test/integration', '<rootDir>/test/browser'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
      globalTeardown: '<rootDir>/test/helpers/global-teardown.ts',
    },
  ],
};
