/**
 * Minimal accounts, users and devices: enough documents for authentication, user/device
 * channel filtering (§3.3) and recipients (users with a `qubicle` block). User writes publish
 * the `object.*` configuration events Blackhole forwards.
 */
import type { AccountRec, DeviceRec, UserRec } from '../../store';
import { APP_VERSION, encodedAccountDb, gregorianFromMs, newId, nextRev, md5Hex, sha1Hex } from '../../wire';
import { type RequestCtx, type Route, dataObject } from '../context';
import { type Ok, type ValidationErrors, errors } from '../envelope';
import { paginate } from '../paging';

export function accountDoc(a: AccountRec): Record<string, unknown> {
  return {
    id: a.id,
    name: a.name,
    realm: a.realm,
    language: 'en-us',
    timezone: 'America/Los_Angeles',
    enabled: a.enabled,
    is_reseller: a.isReseller,
    superduper_admin: a.superduperAdmin,
    created: gregorianFromMs(a.createdMs),
  };
}

export function userDoc(u: UserRec): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    id: u.id,
    username: u.username,
    first_name: u.firstName,
    last_name: u.lastName,
    email: u.email,
    priv_level: u.privLevel,
    enabled: true,
    presence_id: u.extension,
    caller_id: u.extension ? { internal: { name: `${u.firstName} ${u.lastName}`, number: u.extension } } : {},
    timezone: 'America/Los_Angeles',
    vm_to_email_enabled: true,
  };
  if (u.qubicle)
    doc.qubicle = { enabled: u.qubicle.enabled, queues: [...u.qubicle.queues], call_monitor: u.qubicle.callMonitor };
  for (const k of Object.keys(doc)) if (doc[k] === undefined) delete doc[k];
  return doc;
}

function userSummary(u: UserRec): Record<string, unknown> {
  const s: Record<string, unknown> = {
    id: u.id,
    email: u.email,
    features: u.qubicle?.enabled ? ['qubicle'] : [],
    first_name: u.firstName,
    last_name: u.lastName,
    presence_id: u.extension,
    priv_level: u.privLevel,
    timezone: 'America/Los_Angeles',
    username: u.username,
  };
  for (const k of Object.keys(s)) if (s[k] === undefined) delete s[k];
  return s;
}

export function deviceDoc(d: DeviceRec, realm: string): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    device_type: d.deviceType,
    enabled: true,
    ...(d.ownerId ? { owner_id: d.ownerId } : {}),
    sip: { username: d.sipUsername, password: d.sipPassword, realm, method: 'password', invite_format: 'username' },
  };
}

function deviceSummary(d: DeviceRec): Record<string, unknown> {
  return {
    id: d.id,
    name: d.name,
    device_type: d.deviceType,
    enabled: true,
    flags: [],
    mac_address: '',
    ...(d.ownerId ? { owner_id: d.ownerId } : {}),
    username: d.sipUsername,
  };
}

export function requireUser(ctx: RequestCtx, id: string): UserRec {
  const u = ctx.deps.store.users.get(id);
  if (!u || u.accountId !== ctx.params.accountId) throw errors.badIdentifier(id);
  return u;
}

function requireDevice(ctx: RequestCtx, id: string): DeviceRec {
  const d = ctx.deps.store.devices.get(id);
  if (!d || d.accountId !== ctx.params.accountId) throw errors.badIdentifier(id);
  return d;
}

function realmOf(ctx: RequestCtx): string {
  return ctx.deps.store.accounts.get(ctx.params.accountId)!.realm;
}

function publishObject(
  ctx: RequestCtx,
  action: 'doc_created' | 'doc_edited' | 'doc_deleted',
  type: string,
  id: string,
  rev: string,
  createdMs: number,
): void {
  const accountId = ctx.params.accountId;
  const db = encodedAccountDb(accountId);
  const now = Date.now();
  ctx.deps.hub.publish({
    routingKey: `${action}.${db}.${type}.${id}`,
    name: action,
    data: {
      account_id: accountId,
      app_name: 'crossbar',
      app_version: APP_VERSION,
      database: db,
      date_created: gregorianFromMs(createdMs),
      date_modified: gregorianFromMs(now),
      event_category: 'configuration',
      event_name: action,
      id,
      is_soft_deleted: action === 'doc_deleted',
      msg_id: newId(),
      rev,
      type,
    },
  });
}

function typeError(type: string, value: unknown): ValidationErrors[string] {
  return { type: { message: `Value did not match type(s): ${type}`, target: type, value } };
}

function validateUser(data: Record<string, unknown>, creating: boolean): void {
  const errs: ValidationErrors = {};
  const q = data.qubicle;
  if (q !== undefined) {
    if (!q || typeof q !== 'object' || Array.isArray(q)) errs.qubicle = typeError('object', q);
    else {
      const { enabled, queues, call_monitor: callMonitor } = q as Record<string, unknown>;
      if (enabled !== undefined && typeof enabled !== 'boolean')
        errs['qubicle.enabled'] = typeError('boolean', enabled);
      if (callMonitor !== undefined && typeof callMonitor !== 'boolean')
        errs['qubicle.call_monitor'] = typeError('boolean', callMonitor);
      if (queues !== undefined && (!Array.isArray(queues) || queues.some((x) => typeof x !== 'string')))
        errs['qubicle.queues'] = typeError('array', queues);
    }
  }
  for (const field of ['first_name', 'last_name']) {
    const v = data[field];
    if (v === undefined) {
      if (creating) errs[field] = { required: { message: 'Field is required but missing' } };
    } else if (typeof v !== 'string' || v.length < 1) {
      errs[field] = { minLength: { message: 'String must be at least 1 characters', target: 1, value: v } };
    }
  }
  if (Object.keys(errs).length > 0) throw errors.validation(errs);
}

function createUser(ctx: RequestCtx): Ok {
  const data = dataObject(ctx);
  validateUser(data, true);
  const { store } = ctx.deps;
  const username = typeof data.username === 'string' ? data.username.toLowerCase() : undefined;
  if (username && store.usersIn(ctx.params.accountId).some((u) => u.username === username)) {
    throw errors.validation({
      username: { unique: { message: 'Username must be unique within account', cause: username } },
    });
  }
  const u = store.addUser({
    id: newId(),
    accountId: ctx.params.accountId,
    username: username ?? `user_${newId().slice(0, 6)}`,
    password: typeof data.password === 'string' ? data.password : newId(),
    firstName: data.first_name as string,
    lastName: data.last_name as string,
    privLevel: data.priv_level === 'admin' ? 'admin' : 'user',
    email: typeof data.email === 'string' ? data.email : undefined,
    extension: typeof data.presence_id === 'string' ? data.presence_id : undefined,
  });
  publishObject(ctx, 'doc_created', 'user', u.id, u.rev, u.createdMs);
  return { data: userDoc(u), revision: u.rev };
}

function updateUser(ctx: RequestCtx): Ok {
  const u = requireUser(ctx, ctx.params.userId);
  const data = dataObject(ctx);
  validateUser(data, false);
  if (typeof data.first_name === 'string') u.firstName = data.first_name;
  if (typeof data.last_name === 'string') u.lastName = data.last_name;
  if (typeof data.email === 'string') u.email = data.email;
  if (typeof data.password === 'string') {
    u.password = data.password;
    u.md5Auth = md5Hex(`${u.username}:${u.password}`);
    u.sha1Auth = sha1Hex(`${u.username}:${u.password}`);
  }
  if (data.qubicle !== undefined) updateQubicle(ctx, u, data.qubicle as Record<string, unknown>);
  u.rev = nextRev(u.rev);
  u.modifiedMs = Date.now();
  publishObject(ctx, 'doc_edited', 'user', u.id, u.rev, u.createdMs);
  return { data: userDoc(u), revision: u.rev };
}

/**
 * The user's `qubicle` block (validated above): enabling makes the user a recipient (logged out),
 * disabling logs it out and it stops being one.
 */
function updateQubicle(ctx: RequestCtx, u: UserRec, q: Record<string, unknown>): void {
  const was = u.qubicle?.enabled ?? false;
  const cur = u.qubicle ?? { enabled: false, queues: [], callMonitor: false, initialState: 'Not-Logged-In' as const };
  u.qubicle = {
    ...cur,
    enabled: typeof q.enabled === 'boolean' ? q.enabled : cur.enabled,
    queues: Array.isArray(q.queues) ? [...(q.queues as string[])] : cur.queues,
    callMonitor: typeof q.call_monitor === 'boolean' ? q.call_monitor : cur.callMonitor,
  };
  const engine = ctx.deps.qubicle;
  if (u.qubicle.enabled && !engine.get(u.id)) engine.addRecipient(u, 'Not-Logged-In');
  if (was && !u.qubicle.enabled) engine.logout(u.id, 'disabled');
}

function deleteUser(ctx: RequestCtx): Ok {
  const u = requireUser(ctx, ctx.params.userId);
  if (u.qubicle?.enabled) ctx.deps.qubicle.logout(u.id, 'deleted');
  ctx.deps.store.users.delete(u.id);
  u.rev = nextRev(u.rev);
  publishObject(ctx, 'doc_deleted', 'user', u.id, u.rev, u.createdMs);
  return { data: { ...userDoc(u), _read_only: { deleted: true } }, revision: u.rev };
}

export const directoryRoutes: Route[] = [
  {
    path: 'accounts/:accountId',
    methods: {
      GET: (ctx) => {
        const a = ctx.deps.store.accounts.get(ctx.params.accountId)!;
        return { data: accountDoc(a), revision: a.rev };
      },
    },
  },
  {
    path: 'accounts/:accountId/users',
    methods: {
      GET: (ctx) => {
        const { items, paging } = paginate(ctx.deps.store.usersIn(ctx.params.accountId), (u) => u.id, ctx.query);
        return { data: items.map(userSummary), paging };
      },
      PUT: createUser,
    },
  },
  {
    path: 'accounts/:accountId/users/:userId',
    methods: {
      GET: (ctx) => {
        const u = requireUser(ctx, ctx.params.userId);
        return { data: userDoc(u), revision: u.rev };
      },
      POST: updateUser,
      DELETE: deleteUser,
    },
  },
  {
    path: 'accounts/:accountId/devices',
    methods: {
      GET: (ctx) => {
        const { items, paging } = paginate(ctx.deps.store.devicesIn(ctx.params.accountId), (d) => d.id, ctx.query);
        return { data: items.map(deviceSummary), paging };
      },
    },
  },
  {
    path: 'accounts/:accountId/devices/:deviceId',
    methods: {
      GET: (ctx) => {
        const d = requireDevice(ctx, ctx.params.deviceId);
        return { data: deviceDoc(d, realmOf(ctx)), revision: d.rev };
      },
    },
  },
];

export { requireDevice };
