/** The PATCHBAY_ADMIN_KEY spawned test gateways bootstrap; requests send it as a Bearer token. */
export const TEST_ADMIN_KEY = 'test-admin-key-0123456789abcdefghijklmnopqrstuv';
export const TEST_AUTH = `Bearer ${TEST_ADMIN_KEY}`;
