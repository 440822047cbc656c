/**
 * Issue 5, access control, end to end: one gateway with two tenants (see tenants.ts) over real
 * HTTP and graphql-ws, against the ARI and KAZOO simulators. The cases live in *.cases.ts and
 * share this gateway; every log line of the run is captured for the secrets check.
 */
import { isolationCases } from './isolation.cases';
import { keysAndAuditCases } from './keys-audit.cases';
import { captureLogs, stopCapturingLogs } from './log-capture';
import { matrixCases } from './matrix.cases';
import { startTenants, type Tenants } from './tenants';

let t: Tenants;
beforeAll(async () => {
  captureLogs();
  t = await startTenants({ security: { rateLimit: { burst: 100_000, perSecond: 100_000 } } });
}, 30_000);
afterAll(async () => {
  await t?.close();
  stopCapturingLogs();
});

describe('role × field × tenant matrix', () => matrixCases(() => t));
describe('tenant isolation: live streams, agents, sessions, system-wide', () => isolationCases(() => t));
describe('keys, audit and secrets', () => keysAndAuditCases(() => t));
