/**
 * Tests hash API keys at the lowest allowed scrypt cost (src/auth/secret-hash.ts). At the
 * default a full run made 328 hashes of ~0.12 s of CPU each, about a sixth of the suite's CPU.
 * globalSetup exports it as PATCHBAY_KEY_HASH_COST, so gateways and CLIs the tests start, in
 * process or spawned, use it too; test/unit/auth/key-format.test.ts keeps the default covered.
 */
import { HASH_COST } from '../../src/auth/secret-hash';

export const TEST_KEY_HASH_COST: number = HASH_COST.min;
