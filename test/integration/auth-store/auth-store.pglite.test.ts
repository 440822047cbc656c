/** API keys and the audit log on the embedded PGlite. */
import type { Database } from '../../../src/store/database';
import { apiKeySuite } from './api-key-suite';
import { auditSuite } from './audit-suite';
import { openTestDatabase, type TestDatabase } from './databases';

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase('pglite');
}, 60_000);
afterAll(() => test?.cleanup());
const db = (): Database => test.db;

describe('ApiKeyStore (pglite)', () => apiKeySuite(db));
describe('AuditLog (pglite)', () => auditSuite(db));
