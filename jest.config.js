/**
 * Two projects: `unit` (pure logic, no sockets or databases; `npm run test:unit`) and
 * `integration` (real servers on ephemeral ports, the simulators, PGlite copied from the migrated
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
  // Two cores: more workers only queue on the CPU and stretch the timing-sensitive tests.
  maxWorkers: 2,
  // Read from the top level only (a project's testTimeout is ignored). Generous: the box is shared.
  testTimeout: 30000,
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
      roots: ['<rootDir>/test/integration'],
      testMatch: ['**/*.test.ts'],
      globalSetup: '<rootDir>/test/helpers/global-setup.ts',
    },
  ],
};
