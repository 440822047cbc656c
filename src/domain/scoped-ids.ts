/**
 * KAZOO objects that live in an account (recipients, websocket sessions) carry the account in
 * their native id, `<accountId>/<objectId>`, because every Crossbar call needs it. The global id
 * is then `<backend>:<accountId>/<objectId>`.
 */
import { badInput } from './errors';
import { parseGlobalId, toGlobalId } from './ids';

const ACCOUNT_ID = /^[0-9a-f]{32}$/;

export interface AccountScopedId {
  backend: string;
  accountId: string;
  objectId: string;
}

export function toAccountScopedId(backend: string, accountId: string, objectId: string): string {
  return toGlobalId(backend, `${accountId}/${objectId}`);
}

export function parseAccountScopedId(id: string, argName = 'id'): AccountScopedId {
  const { backend, nativeId } = parseGlobalId(id, argName);
  const slash = nativeId.indexOf('/');
  const accountId = nativeId.slice(0, slash);
  const objectId = nativeId.slice(slash + 1);
  if (slash <= 0 || !ACCOUNT_ID.test(accountId) || objectId === '') {
    throw badInput(`${argName} must be "<backend>:<accountId>/<id>" (accountId: 32 hex), got ${JSON.stringify(id)}`, {
      argumentName: argName,
    });
  }
  return { backend, accountId, objectId };
}

export function checkAccountId(accountId: string, argName = 'accountId'): void {
  if (!ACCOUNT_ID.test(accountId))
    throw badInput(`${argName} must be 32 lowercase hex characters, got ${JSON.stringify(accountId)}`, {
      argumentName: argName,
    });
}
