import { ErrorCode, PatchbayError } from '../../../src/domain/errors';
import { validateKeyInput, type NewApiKeyInput } from '../../../src/auth/api-keys';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-11-23T12:00:00Z');
const base: NewApiKeyInput = {
  name: 'ops',
  role: 'SUPERVISOR',
  scope: { all: false, accountIds: [ACCOUNT], backends: ['pbx1'] },
};

function badInput(input: unknown): PatchbayError {
  try {
    validateKeyInput(input as NewApiKeyInput, NOW);
  } catch (err) {
    expect(err).toBeInstanceOf(PatchbayError);
    expect((err as PatchbayError).code).toBe(ErrorCode.BAD_USER_INPUT);
    return err as PatchbayError;
  }
  throw new Error('expected BAD_USER_INPUT');
}

describe('validateKeyInput', () => {
  it('normalises a valid key: trimmed name, deduplicated lists, nulls for absent fields', () => {
    expect(
      validateKeyInput({ ...base, name: '  ops  ', scope: { all: false, accountIds: [ACCOUNT, ACCOUNT] } }, NOW),
    ).toEqual({
      name: 'ops',
      role: 'SUPERVISOR',
      scope: { all: false, accountIds: [ACCOUNT], backends: [] },
      recipientId: null,
      expiresAt: null,
    });
    const agent = validateKeyInput(
      { ...base, role: 'AGENT', recipientId: `kz1:${ACCOUNT}/user1`, expiresAt: new Date('2027-01-01') },
      NOW,
    );
    expect(agent.recipientId).toBe(`kz1:${ACCOUNT}/user1`);
    expect(agent.expiresAt).toEqual(new Date('2027-01-01'));
  });

  it.each([
    ['an unknown role', { ...base, role: 'ROOT' }, /role must be one of ADMIN, SUPERVISOR, AGENT, VIEWER, got "ROOT"/],
    ['an empty name', { ...base, name: '  ' }, /name must be 1 to 200 characters/],
    ['an AGENT without recipient', { ...base, role: 'AGENT' }, /an AGENT key needs recipientId/],
    [
      'an AGENT with a malformed recipient',
      { ...base, role: 'AGENT', recipientId: 'kz1:user1' },
      /recipientId must be "<backend>:<accountId>\/<id>"/,
    ],
    [
      'a recipient on a non-AGENT key',
      { ...base, recipientId: `kz1:${ACCOUNT}/u` },
      /recipientId is only for AGENT keys, not SUPERVISOR/,
    ],
    [
      'a bad account id',
      { ...base, scope: { all: false, accountIds: ['ABC'] } },
      /scope.accountIds: "ABC" is not an account id \(32 lowercase hex characters\)/,
    ],
    [
      'upper-case hex account id',
      { ...base, scope: { all: false, accountIds: [ACCOUNT.toUpperCase()] } },
      /is not an account id/,
    ],
    [
      'a bad backend name',
      { ...base, scope: { all: false, backends: ['pbx:1'] } },
      /scope.backends: "pbx:1" is not a backend name/,
    ],
    [
      'an unknown scope field',
      { ...base, scope: { all: false, accounts: [ACCOUNT] } },
      /scope has unknown field\(s\) accounts/,
    ],
    ['a scope without all', { ...base, scope: { accountIds: [ACCOUNT] } }, /scope.all must be true or false/],
    ['a scope that is not an object', { ...base, scope: 'all' }, /scope must be an object/],
    ['lists with all', { ...base, scope: { all: true, backends: ['pbx1'] } }, /scope.all reaches everything/],
    [
      'a list of non-strings',
      { ...base, scope: { all: false, backends: [1] } },
      /scope.backends must be a list of strings/,
    ],
    ['an expiry in the past', { ...base, expiresAt: new Date('2026-01-01') }, /expiresAt must be in the future/],
    ['an invalid expiry', { ...base, expiresAt: new Date('nope') }, /expiresAt must be a valid date/],
  ])('refuses %s with BAD_USER_INPUT', (_label, input, message) => {
    expect(badInput(input).message).toMatch(message);
  });
});
