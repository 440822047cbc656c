/** API keys and the audit log on the embedded PGlite. */
import type { Database } from '../../../src/store/database';
import { apiKeySuite } from './apiKeySuite';
import { auditSuite } from './auditSuite';
import { openTestDatabase, type TestDatabase } from './databases';

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase('pglite');
}, 60_000);
afterAll(() => test?.cleanup());
const db = (): Database => test.db;

describe('ApiKeyStore (pglite)', () => apiKeySuite(db));
describe('AuditLog (pglite)', () => auditSuite(db));
