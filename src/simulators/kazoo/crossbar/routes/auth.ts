/**
 * PUT /v2/user_auth and PUT /v2/api_auth (docs/wire/kazoo.md §2): token issuance and the exact
 * validation / not-found / invalid-credentials answers.
 */
import type { AccountRec, Store, UserRec } from '../../store';
import { normalizeAccountName } from '../../store';
import { type RequestCtx, type Route, dataObject } from '../context';
import { CrossbarError, type Ok, errors, requiredError } from '../envelope';

function resellerId(store: Store, account: AccountRec): string {
  for (let i = account.tree.length - 1; i >= 0; i--) {
    const a = store.accounts.get(account.tree[i]);
    if (a?.isReseller) return a.id;
  }
  return account.tree[0] ?? account.id;
}

function authData(store: Store, account: AccountRec, owner?: UserRec): Record<string, unknown> {
  return {
    account_id: account.id,
    ...(owner ? { owner_id: owner.id } : {}),
    account_name: account.name,
    apps: [],
    is_master_account: account.tree.length === 0,
    is_reseller: account.isReseller,
    language: 'en-us',
    reseller_id: resellerId(store, account),
  };
}

function lengthError(field: string, value: unknown, min: number, max: number): CrossbarError | undefined {
  if (typeof value !== 'string') {
    return errors.validation({
      [field]: { type: { message: 'Value did not match type(s): string', target: 'string', value } },
    });
  }
  if (value.length < min) {
    return errors.validation({
      [field]: { minLength: { message: `String must be at least ${min} characters`, target: min, value } },
    });
  }
  if (value.length > max) {
    return errors.validation({
      [field]: { maxLength: { message: `String must not be more than ${max} characters`, target: max, value } },
    });
  }
  return undefined;
}

function locked(account: AccountRec): CrossbarError {
  return new CrossbarError(423, 'locked', {
    account: { disabled: { message: 'account is disabled', cause: account.id } },
  });
}

function userAuth(ctx: RequestCtx): Ok {
  const { store, tokens } = ctx.deps;
  const data = dataObject(ctx);
  if (data.credentials === undefined) throw requiredError('credentials');
  const bad = lengthError('credentials', data.credentials, 1, 64);
  if (bad) throw bad;
  const method = data.method ?? 'md5';
  if (method !== 'md5' && method !== 'sha') {
    throw errors.validation({
      method: {
        enum: { message: 'Value not found in enumerated list of values', target: ['md5', 'sha'], value: method },
      },
    });
  }
  const credentials = (data.credentials as string).toLowerCase();

  let accounts: AccountRec[];
  if (typeof data.phone_number === 'string') {
    throw errors.validation({
      phone_number: {
        not_found: { message: 'The provided phone number could not be found', cause: data.phone_number },
      },
    });
  } else if (typeof (data.account_realm ?? data.realm) === 'string') {
    const realm = (data.account_realm ?? data.realm) as string;
    const a = store.accountByRealm(realm);
    if (!a)
      throw errors.validation({
        account_realm: { not_found: { message: 'The provided account realm could not be found', cause: realm } },
      });
    accounts = [a];
  } else if (typeof data.account_name === 'string') {
    accounts = store.accountsByName(data.account_name);
    if (accounts.length === 0) {
      const cause = normalizeAccountName(data.account_name);
      throw errors.validation({
        account_name: { not_found: { message: 'The provided account name could not be found', cause } },
      });
    }
  } else {
    throw errors.invalidCredentials();
  }

  for (const account of accounts) {
    const user = store.usersIn(account.id).find((u) => (method === 'md5' ? u.md5Auth : u.sha1Auth) === credentials);
    if (!user) continue;
    if (!account.enabled) throw locked(account);
    const { token } = tokens.issue({ accountId: account.id, ownerId: user.id, method: 'cb_user_auth' });
    return { data: authData(store, account, user), authToken: token };
  }
  throw errors.invalidCredentials();
}

function apiAuth(ctx: RequestCtx): Ok {
  const { store, tokens } = ctx.deps;
  const data = dataObject(ctx);
  for (const key of Object.keys(data)) {
    if (key !== 'api_key') {
      throw errors.validation({
        [key]: {
          additionalProperties: {
            message: 'Strict checking of data is enabled; only include schema-defined properties',
            target: false,
          },
        },
      });
    }
  }
  if (data.api_key === undefined) throw requiredError('api_key');
  const bad = lengthError('api_key', data.api_key, 64, 64);
  if (bad) throw bad;
  const account = store.accountByApiKey(data.api_key as string);
  if (!account) throw errors.badIdentifier(data.api_key as string);
  if (!account.enabled) throw locked(account);
  const { token } = tokens.issue({ accountId: account.id, method: 'cb_api_auth' });
  return { data: authData(store, account), authToken: token };
}

/** GET /v2/user_auth/{token}: info about the caller's own token. */
function tokenInfo(ctx: RequestCtx): Ok {
  if (ctx.params.token !== ctx.authToken) throw errors.invalidCredentials();
  const c = ctx.claims!;
  return {
    data: {
      account_id: c.account_id,
      ...(c.owner_id ? { owner_id: c.owner_id } : {}),
      method: c.method,
      id: ctx.params.token,
      exp: c.exp,
    },
  };
}

export const authRoutes: Route[] = [
  { path: 'user_auth', methods: { PUT: userAuth }, public: true },
  { path: 'api_auth', methods: { PUT: apiAuth }, public: true },
  { path: 'user_auth/:token', methods: { GET: tokenInfo } },
];
