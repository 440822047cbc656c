/**
 * Seed data for the simulator and the default demo world. Ids are 32 hex (KAZOO uuids); the
 * default world derives them from names so they are the same on every start.
 */
import { stableId } from './wire';

export type AvailabilityState = 'Ready' | 'Away' | 'Wrapup-Time' | 'Call-Offer' | 'On-A-Call' | 'Not-Logged-In';

export interface SeedAccount {
  id: string;
  name: string;
  /** SIP realm; defaults to `<normalised name>.sip.example.com`. */
  realm?: string;
  /** 64 hex chars (pvt_api_key). */
  apiKey: string;
  parentId?: string;
  superduperAdmin?: boolean;
  isReseller?: boolean;
  enabled?: boolean;
}

export interface SeedQubicleBlock {
  enabled: boolean;
  /** Queues this recipient is a member of. */
  queues: string[];
  /** State at start: only the states a recipient can be in without a call. */
  initialState?: 'Not-Logged-In' | 'Away' | 'Ready';
  /** May monitor other recipients (call_monitor permission). */
  callMonitor?: boolean;
}

export interface SeedUser {
  id: string;
  accountId: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  privLevel?: 'admin' | 'user';
  /** Internal extension, used as caller id number. */
  extension?: string;
  email?: string;
  qubicle?: SeedQubicleBlock;
}

export interface SeedDevice {
  id: string;
  accountId: string;
  ownerId?: string;
  name: string;
  sipUsername: string;
  sipPassword?: string;
  deviceType?: string;
}

export interface SeedQueue {
  id: string;
  accountId: string;
  name: string;
  /** agent_wrapup_time in seconds. */
  wrapupSeconds: number;
}

export interface KazooSeed {
  accounts: SeedAccount[];
  users: SeedUser[];
  devices: SeedDevice[];
  queues: SeedQueue[];
}

function apiKeyFor(name: string): string {
  return stableId('api_key', name) + stableId('api_key2', name);
}

export interface RecipientSpec {
  accountId: string;
  firstName: string;
  lastName: string;
  queues: string[];
  initialState?: SeedQubicleBlock['initialState'];
  extension?: string;
  callMonitor?: boolean;
}

/** A user with a qubicle block plus one softphone device: what a recipient is in KAZOO. */
export function recipientSeed(spec: RecipientSpec, seedTag = ''): { user: SeedUser; device: SeedDevice } {
  const username = `${spec.firstName}.${spec.lastName}`.toLowerCase().replace(/[^a-z0-9.]/g, '');
  const userId = stableId('user', spec.accountId, username, seedTag);
  const user: SeedUser = {
    id: userId,
    accountId: spec.accountId,
    username,
    password: `${spec.firstName.toLowerCase()}-secret`,
    firstName: spec.firstName,
    lastName: spec.lastName,
    privLevel: 'user',
    extension: spec.extension,
    email: `${username}@example.com`,
    qubicle: {
      enabled: true,
      queues: spec.queues,
      initialState: spec.initialState ?? 'Not-Logged-In',
      callMonitor: spec.callMonitor,
    },
  };
  const device: SeedDevice = {
    id: stableId('device', userId),
    accountId: spec.accountId,
    ownerId: userId,
    name: `${spec.firstName} ${spec.lastName} softphone`,
    sipUsername: `user_${stableId('sip', userId).slice(0, 6)}`,
    sipPassword: stableId('sippw', userId).slice(0, 12),
    deviceType: 'softphone',
  };
  return { user, device };
}

/**
 * The default world: a superduper-admin master account with an admin user, and one customer
 * account (a reseller's customer) with two queues, four recipients in mixed states and a
 * plain user with a desk phone.
 */
export function defaultSeed(): KazooSeed {
  const master: SeedAccount = {
    id: stableId('account', 'master'),
    name: 'Master Account',
    realm: 'master.sip.example.com',
    apiKey: apiKeyFor('master'),
    superduperAdmin: true,
    isReseller: true,
  };
  const acme: SeedAccount = {
    id: stableId('account', 'acme'),
    name: 'Acme Corp',
    realm: 'acme.sip.example.com',
    apiKey: apiKeyFor('acme'),
    parentId: master.id,
  };
  const sales: SeedQueue = {
    id: stableId('queue', acme.id, 'sales'),
    accountId: acme.id,
    name: 'Sales',
    wrapupSeconds: 5,
  };
  const support: SeedQueue = {
    id: stableId('queue', acme.id, 'support'),
    accountId: acme.id,
    name: 'Support',
    wrapupSeconds: 10,
  };

  const admin: SeedUser = {
    id: stableId('user', master.id, 'admin'),
    accountId: master.id,
    username: 'admin',
    password: 'admin-secret',
    firstName: 'Super',
    lastName: 'Admin',
    privLevel: 'admin',
    extension: '100',
    email: 'admin@example.com',
  };
  const adminPhone: SeedDevice = {
    id: stableId('device', admin.id),
    accountId: master.id,
    ownerId: admin.id,
    name: 'Admin desk phone',
    sipUsername: 'user_adm001',
    deviceType: 'sip_device',
  };
  const owner: SeedUser = {
    id: stableId('user', acme.id, 'olivia'),
    accountId: acme.id,
    username: 'olivia.owner',
    password: 'olivia-secret',
    firstName: 'Olivia',
    lastName: 'Owner',
    privLevel: 'admin',
    extension: '200',
    email: 'olivia@example.com',
  };
  const ownerPhone: SeedDevice = {
    id: stableId('device', owner.id),
    accountId: acme.id,
    ownerId: owner.id,
    name: 'Olivia desk phone',
    sipUsername: 'user_oli200',
    deviceType: 'sip_device',
  };
  const recipients = [
    recipientSeed({
      accountId: acme.id,
      firstName: 'Alice',
      lastName: 'Agent',
      queues: [sales.id, support.id],
      initialState: 'Ready',
      extension: '201',
      callMonitor: true,
    }),
    recipientSeed({
      accountId: acme.id,
      firstName: 'Bob',
      lastName: 'Agent',
      queues: [sales.id],
      initialState: 'Away',
      extension: '202',
    }),
    recipientSeed({
      accountId: acme.id,
      firstName: 'Carol',
      lastName: 'Agent',
      queues: [support.id],
      initialState: 'Ready',
      extension: '203',
    }),
    recipientSeed({
      accountId: acme.id,
      firstName: 'Dave',
      lastName: 'Agent',
      queues: [sales.id, support.id],
      initialState: 'Not-Logged-In',
      extension: '204',
    }),
  ];
  return {
    accounts: [master, acme],
    users: [admin, owner, ...recipients.map((r) => r.user)],
    devices: [adminPhone, ownerPhone, ...recipients.map((r) => r.device)],
    queues: [sales, support],
  };
}

/**
 * Adds an account holding `count` recipients (all in one queue) to a seed: for batching checks
 * (e.g. a 50-recipient account). Returns the new account id and queue id.
 */
export function addRecipientAccount(
  seed: KazooSeed,
  o: { name: string; count: number; parentId?: string; initialState?: SeedQubicleBlock['initialState'] },
): { accountId: string; queueId: string } {
  const parentId = o.parentId ?? seed.accounts.find((a) => a.superduperAdmin)?.id;
  const account: SeedAccount = { id: stableId('account', o.name), name: o.name, apiKey: apiKeyFor(o.name), parentId };
  const queue: SeedQueue = {
    id: stableId('queue', account.id, 'main'),
    accountId: account.id,
    name: 'Main',
    wrapupSeconds: 5,
  };
  seed.accounts.push(account);
  seed.queues.push(queue);
  for (let i = 1; i <= o.count; i++) {
    const r = recipientSeed({
      accountId: account.id,
      firstName: `Agent${String(i).padStart(3, '0')}`,
      lastName: 'Bulk',
      queues: [queue.id],
      initialState: o.initialState,
      extension: String(1000 + i),
    });
    seed.users.push(r.user);
    seed.devices.push(r.device);
  }
  return { accountId: account.id, queueId: queue.id };
}
