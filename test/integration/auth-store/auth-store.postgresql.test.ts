/** API keys and the audit log on the machine's PostgreSQL (a throwaway database). */
import type { Database } from '../../../src/store/database';
import { apiKeySuite } from './api-key-suite';
import { auditSuite } from './audit-suite';
import { openTestDatabase, type TestDatabase } from './databases';

let test: TestDatabase;
beforeAll(async () => {
  test = await openTestDatabase('postgresql');
}, 60_000);
afterAll(() => test?.cleanup());
const db = (): Database => test.db;

describe('ApiKeyStore (postgresql)', () => apiKeySuite(db));
describe('AuditLog (postgresql)', () => auditSuite(db));
