/** The ids and credentials tests and the demo need, read live from the store. */
import type { QubicleEngine } from './qubicle/engine';
import type { AccountRec, Store } from './store';

export interface WorldAccount {
  id: string;
  name: string;
  realm: string;
  /** 64-char api key for PUT /v2/api_auth. */
  apiKey: string;
  parentId?: string;
  superduperAdmin: boolean;
}

export interface WorldUser {
  id: string;
  accountId: string;
  username: string;
  password: string;
  firstName: string;
  lastName: string;
  extension?: string;
  recipient: boolean;
  deviceIds: string[];
}

export interface WorldDevice {
  id: string;
  accountId: string;
  ownerId?: string;
  name: string;
  sipUsername: string;
}

export interface WorldQueue {
  id: string;
  accountId: string;
  name: string;
  wrapupSeconds: number;
}

export interface WorldRecipient {
  /** The user id. */
  id: string;
  accountId: string;
  name: string;
  username: string;
  password: string;
  queueIds: string[];
  deviceId?: string;
  /** Current availability state. */
  state: string;
}

export interface KazooWorld {
  /** The superduper-admin (master) account. */
  superduperAccount: WorldAccount;
  /** The first account that is not superduper admin (the default world's customer, "Acme Corp"). */
  customerAccount?: WorldAccount;
  accounts: WorldAccount[];
  users: WorldUser[];
  devices: WorldDevice[];
  queues: WorldQueue[];
  recipients: WorldRecipient[];
}

function account(a: AccountRec): WorldAccount {
  return {
    id: a.id,
    name: a.name,
    realm: a.realm,
    apiKey: a.apiKey,
    parentId: a.parentId,
    superduperAdmin: a.superduperAdmin,
  };
}

export function buildWorld(store: Store, qubicle: QubicleEngine): KazooWorld {
  const accounts = [...store.accounts.values()].map(account);
  const superduper = accounts.find((a) => a.superduperAdmin);
  if (!superduper) throw new Error('seed has no superduper admin account');
  const users: WorldUser[] = [...store.users.values()].map((u) => ({
    id: u.id,
    accountId: u.accountId,
    username: u.username,
    password: u.password,
    firstName: u.firstName,
    lastName: u.lastName,
    extension: u.extension,
    recipient: u.qubicle?.enabled ?? false,
    deviceIds: store.devicesOwnedBy(u.id).map((d) => d.id),
  }));
  return {
    superduperAccount: superduper,
    customerAccount: accounts.find((a) => !a.superduperAdmin),
    accounts,
    users,
    devices: [...store.devices.values()].map((d) => ({
      id: d.id,
      accountId: d.accountId,
      ownerId: d.ownerId,
      name: d.name,
      sipUsername: d.sipUsername,
    })),
    queues: [...store.queues.values()].map((q) => ({
      id: q.id,
      accountId: q.accountId,
      name: q.name,
      wrapupSeconds: q.wrapupSeconds,
    })),
    recipients: [...store.users.values()]
      .filter((u) => u.qubicle?.enabled)
      .map((u) => ({
        id: u.id,
        accountId: u.accountId,
        name: `${u.firstName} ${u.lastName}`,
        username: u.username,
        password: u.password,
        queueIds: [...u.qubicle!.queues],
        deviceId: store.devicesOwnedBy(u.id)[0]?.id,
        state: qubicle.get(u.id)?.state ?? 'Not-Logged-In',
      })),
  };
}
