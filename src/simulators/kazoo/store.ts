/**
 * The simulator's "databases": accounts, users, devices and Qubicle queues, loaded from a seed.
 * Live call and recipient state live in calls.ts and recipients.ts.
 */
import type { KazooSeed, SeedAccount, SeedDevice, SeedQueue, SeedUser } from './seed';
import { md5Hex, nextRev, sha1Hex } from './wire';

export interface AccountRec {
  id: string;
  name: string;
  realm: string;
  apiKey: string;
  parentId?: string;
  /** Ancestors, root first (pvt_tree). */
  tree: string[];
  superduperAdmin: boolean;
  isReseller: boolean;
  enabled: boolean;
  rev: string;
  createdMs: number;
  modifiedMs: number;
}

export interface UserRec {
  id: string;
  accountId: string;
  /** Stored lower-cased, as kzd_users does. */
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  privLevel: 'admin' | 'user';
  extension?: string;
  email?: string;
  qubicle?: {
    enabled: boolean;
    queues: string[];
    callMonitor: boolean;
    initialState: 'Not-Logged-In' | 'Away' | 'Ready';
  };
  md5Auth: string;
  sha1Auth: string;
  rev: string;
  createdMs: number;
  modifiedMs: number;
}

export interface DeviceRec {
  id: string;
  accountId: string;
  ownerId?: string;
  name: string;
  sipUsername: string;
  sipPassword: string;
  deviceType: string;
  rev: string;
  createdMs: number;
  modifiedMs: number;
}

export interface QueueRec {
  id: string;
  accountId: string;
  name: string;
  wrapupSeconds: number;
  rev: string;
  createdMs: number;
}

/** kzd_accounts:normalize_name/1: lower-case, keep only [a-z0-9]. */
export function normalizeAccountName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

export class Store {
  readonly accounts = new Map<string, AccountRec>();
  readonly users = new Map<string, UserRec>();
  readonly devices = new Map<string, DeviceRec>();
  readonly queues = new Map<string, QueueRec>();

  constructor(seed: KazooSeed) {
    for (const a of seed.accounts) this.addAccount(a);
    for (const q of seed.queues) this.addQueue(q);
    for (const u of seed.users) this.addUser(u);
    for (const d of seed.devices) this.addDevice(d);
  }

  addAccount(a: SeedAccount): AccountRec {
    const parent = a.parentId ? this.accounts.get(a.parentId) : undefined;
    const now = Date.now();
    const rec: AccountRec = {
      id: a.id,
      name: a.name,
      realm: a.realm ?? `${normalizeAccountName(a.name)}.sip.example.com`,
      apiKey: a.apiKey,
      parentId: a.parentId,
      tree: parent ? [...parent.tree, parent.id] : [],
      superduperAdmin: a.superduperAdmin ?? false,
      isReseller: a.isReseller ?? false,
      enabled: a.enabled ?? true,
      rev: nextRev(),
      createdMs: now,
      modifiedMs: now,
    };
    this.accounts.set(rec.id, rec);
    return rec;
  }

  addQueue(q: SeedQueue): QueueRec {
    const rec: QueueRec = { ...q, rev: nextRev(), createdMs: Date.now() };
    this.queues.set(rec.id, rec);
    return rec;
  }

  addUser(u: SeedUser): UserRec {
    const username = u.username.toLowerCase();
    const now = Date.now();
    const rec: UserRec = {
      id: u.id,
      accountId: u.accountId,
      username,
      password: u.password,
      firstName: u.firstName,
      lastName: u.lastName,
      privLevel: u.privLevel ?? 'user',
      extension: u.extension,
      email: u.email,
      qubicle: u.qubicle
        ? {
            enabled: u.qubicle.enabled,
            queues: [...u.qubicle.queues],
            callMonitor: u.qubicle.callMonitor ?? false,
            initialState: u.qubicle.initialState ?? 'Not-Logged-In',
          }
        : undefined,
      md5Auth: md5Hex(`${username}:${u.password}`),
      sha1Auth: sha1Hex(`${username}:${u.password}`),
      rev: nextRev(),
      createdMs: now,
      modifiedMs: now,
    };
    this.users.set(rec.id, rec);
    return rec;
  }

  addDevice(d: SeedDevice): DeviceRec {
    const now = Date.now();
    const rec: DeviceRec = {
      id: d.id,
      accountId: d.accountId,
      ownerId: d.ownerId,
      name: d.name,
      sipUsername: d.sipUsername,
      sipPassword: d.sipPassword ?? d.id.slice(0, 12),
      deviceType: d.deviceType ?? 'sip_device',
      rev: nextRev(),
      createdMs: now,
      modifiedMs: now,
    };
    this.devices.set(rec.id, rec);
    return rec;
  }

  /** True when `accountId` is `ancestorId` or below it (kzd_accounts:is_in_account_hierarchy). */
  isInHierarchy(ancestorId: string, accountId: string): boolean {
    if (ancestorId === accountId) return true;
    return this.accounts.get(accountId)?.tree.includes(ancestorId) ?? false;
  }

  accountByApiKey(apiKey: string): AccountRec | undefined {
    for (const a of this.accounts.values()) if (a.apiKey === apiKey) return a;
    return undefined;
  }

  accountsByName(name: string): AccountRec[] {
    const n = normalizeAccountName(name);
    return [...this.accounts.values()].filter((a) => normalizeAccountName(a.name) === n);
  }

  accountByRealm(realm: string): AccountRec | undefined {
    const r = realm.toLowerCase();
    for (const a of this.accounts.values()) if (a.realm.toLowerCase() === r) return a;
    return undefined;
  }

  usersIn(accountId: string): UserRec[] {
    return [...this.users.values()].filter((u) => u.accountId === accountId);
  }

  devicesIn(accountId: string): DeviceRec[] {
    return [...this.devices.values()].filter((d) => d.accountId === accountId);
  }

  devicesOwnedBy(userId: string): DeviceRec[] {
    return [...this.devices.values()].filter((d) => d.ownerId === userId);
  }

  queuesIn(accountId: string): QueueRec[] {
    return [...this.queues.values()].filter((q) => q.accountId === accountId);
  }

  recipientsIn(accountId: string): UserRec[] {
    return this.usersIn(accountId).filter((u) => u.qubicle?.enabled);
  }

  superduperAccount(): AccountRec | undefined {
    for (const a of this.accounts.values()) if (a.superduperAdmin) return a;
    return undefined;
  }
}
