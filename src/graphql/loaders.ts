/**
 * Per-request DataLoaders: every backend read of a request goes through here, so one request
 * costs at most one list call per backend, and single lookups are de-duplicated and batched.
 */
import DataLoader from 'dataloader';
import type { BackendRegistry } from '../backends/registry';
import type { KazooChannelFilter } from '../backends/kazoo/operations';
import type { CallContext } from '../backends/types';
import type { Channel, RtpStats } from '../domain/channel';
import { ErrorCode, PatchbayError } from '../domain/errors';
import { parseGlobalId, toGlobalId } from '../domain/ids';
import type { Recipient, RecipientConfig } from '../domain/recipient';
import { parseAccountScopedId } from '../domain/scoped-ids';

/** From this many single lookups on one backend, one list call is cheaper than N GETs. */
const LIST_INSTEAD_OF_GETS = 3;

export interface Loaders {
  /** Channels of one backend, by listKey(backend, filter): the plain backend name lists all. */
  channelList: DataLoader<string, Channel[]>;
  /** One channel by global id; null when the backend does not know it. */
  channel: DataLoader<string, Channel | null>;
  /** RTP statistics by global id; null when the channel has no RTP (Local, Snoop, ...). */
  rtpStats: DataLoader<string, RtpStats | null>;
  /** A channel variable by `${globalId}\u0000${name}`; null when unset. */
  variable: DataLoader<string, string | null>;
  /** A recipient by global id (`<backend>:<accountId>/<userId>`); primed by `recipients`. */
  recipient: DataLoader<string, Recipient | null>;
  /**
   * A recipient's config (its user document) by global id, for recipients that came from a
   * listing: their status is already in hand from the batch POST, so only the document is read.
   */
  recipientConfig: DataLoader<string, RecipientConfig | null>;
}

export function listKey(backend: string, filter: KazooChannelFilter = {}): string {
  const { accountId, userId, deviceId, systemWide } = filter;
  if (!accountId && !userId && !deviceId && !systemWide) return backend;
  return JSON.stringify([backend, accountId ?? null, userId ?? null, deviceId ?? null, systemWide ?? false]);
}

function parseListKey(key: string): { backend: string; filter?: KazooChannelFilter } {
  if (!key.startsWith('[')) return { backend: key };
  const [backend, accountId, userId, deviceId, systemWide] = JSON.parse(key) as [
    string,
    string | null,
    string | null,
    string | null,
    boolean,
  ];
  return {
    backend,
    filter: {
      accountId: accountId ?? undefined,
      userId: userId ?? undefined,
      deviceId: deviceId ?? undefined,
      systemWide,
    },
  };
}

export function variableKey(channelId: string, name: string): string {
  return `${channelId}\u0000${name}`;
}

function groupByBackend(keys: readonly string[]): Map<string, { index: number; nativeId: string }[]> {
  const groups = new Map<string, { index: number; nativeId: string }[]>();
  keys.forEach((key, index) => {
    const { backend, nativeId } = parseGlobalId(key);
    const g = groups.get(backend) ?? [];
    g.push({ index, nativeId });
    groups.set(backend, g);
  });
  return groups;
}

/** Live channels of a backend while its event stream is healthy; null means ask the backend. */
export type LiveSource = (backend: string) => ReadonlyMap<string, Channel> | null;

export function createLoaders(registry: BackendRegistry, call: CallContext, live: LiveSource = () => null): Loaders {
  const listedBackends = new Set<string>();

  const channelList: DataLoader<string, Channel[]> = new DataLoader(async (keys) =>
    Promise.all(
      keys.map(async (key) => {
        const { backend: name, filter } = parseListKey(key);
        if (!filter) listedBackends.add(name);
        try {
          const fromLiveView = filter ? null : live(name);
          // Not primed into `channel`: that loader reads the same live view first, and priming
          // cost a global id and a promise per channel on every listing.
          if (fromLiveView) return [...fromLiveView.values()];
          const backend = registry.require(name);
          const list =
            filter && backend.kind === 'kazoo'
              ? await registry.kazoo(name, 'channels').listChannels(call, filter)
              : await backend.listChannels(call);
          for (const c of list) channel.prime(toGlobalId(c.backend, c.nativeId), c);
          return list;
        } catch (e) {
          return e as Error;
        }
      }),
    ),
  );

  const channel: DataLoader<string, Channel | null> = new DataLoader(async (keys) => {
    const results: Array<Channel | null | Error> = new Array(keys.length).fill(null);
    await Promise.all(
      [...groupByBackend(keys)].map(async ([backendName, items]) => {
        const backend = registry.get(backendName);
        if (!backend) {
          for (const it of items)
            results[it.index] = new PatchbayError(ErrorCode.NOT_FOUND, `unknown backend "${backendName}"`);
          return;
        }
        const fromLiveView = live(backendName);
        const misses = fromLiveView ? items.filter((it) => !fromLiveView.has(it.nativeId)) : items;
        if (fromLiveView) for (const it of items) results[it.index] = fromLiveView.get(it.nativeId) ?? null;
        // A channel just made by a mutation can precede its first event: ask the backend for those.
        if (fromLiveView && misses.length === 0) return;
        if (!fromLiveView && (listedBackends.has(backendName) || items.length >= LIST_INSTEAD_OF_GETS)) {
          try {
            const list = await channelList.load(backendName);
            const byId = new Map(list.map((c) => [c.nativeId, c]));
            for (const it of items) results[it.index] = byId.get(it.nativeId) ?? null;
          } catch (e) {
            for (const it of items) results[it.index] = e as Error;
          }
          return;
        }
        await Promise.all(
          misses.map(async (it) => {
            try {
              results[it.index] = await backend.getChannel(it.nativeId, call);
            } catch (e) {
              results[it.index] = e as Error;
            }
          }),
        );
      }),
    );
    return results;
  });

  const rtpStats = new DataLoader<string, RtpStats | null>(async (keys) =>
    Promise.all(
      keys.map(async (key) => {
        const { backend, nativeId } = parseGlobalId(key);
        try {
          return await registry.ari(backend, 'rtpStats').rtpStatistics(nativeId, call);
        } catch (e) {
          // No RTP on this channel type (ARI 403) or no RTP instance yet (ARI 404 "RTP info not found").
          if (
            e instanceof PatchbayError &&
            (e.code === ErrorCode.UNSUPPORTED_OPERATION || e.code === ErrorCode.NOT_FOUND)
          ) {
            if (e.code === ErrorCode.NOT_FOUND && e.details.backendMessage === 'Channel not found') return e;
            return null;
          }
          return e as Error;
        }
      }),
    ),
  );

  const variable = new DataLoader<string, string | null>(async (keys) =>
    Promise.all(
      keys.map(async (key) => {
        const [id, name] = key.split('\u0000');
        const { backend, nativeId } = parseGlobalId(id);
        try {
          return await registry.ari(backend, 'variable').getVariable(nativeId, name, call);
        } catch (e) {
          return e as Error;
        }
      }),
    ),
  );

  const readRecipient = async (key: string): Promise<Recipient | null | Error> => {
    try {
      const { backend, accountId, objectId } = parseAccountScopedId(key);
      return await registry.kazoo(backend, 'recipient').getRecipient(accountId, objectId, call);
    } catch (e) {
      return e as Error;
    }
  };
  const recipient = new DataLoader<string, Recipient | null>(async (keys) => Promise.all(keys.map(readRecipient)));
  // One GET per recipient not cached by its backend: Crossbar has no batch read of user documents (docs/wire/kazoo.md §5.2).
  const recipientConfig = new DataLoader<string, RecipientConfig | null>(async (keys) =>
    Promise.all(
      keys.map(async (key) => {
        try {
          const { backend, accountId, objectId } = parseAccountScopedId(key);
          return await registry.kazoo(backend, 'recipient').getRecipientConfig(accountId, objectId, call);
        } catch (e) {
          return e as Error;
        }
      }),
    ),
  );

  return { channelList, channel, rtpStats, variable, recipient, recipientConfig };
}
