/**
 * Per-request DataLoaders: every backend read of a request goes through here, so one request
 * costs at most one list call per backend, and single lookups are de-duplicated and batched.
 */
import DataLoader from 'dataloader';
import type { BackendRegistry } from '../backends/registry';
import type { CallContext } from '../backends/types';
import type { Channel, RtpStats } from '../domain/channel';
import { ErrorCode, PatchbayError } from '../domain/errors';
import { parseGlobalId, toGlobalId } from '../domain/ids';

/** From this many single lookups on one backend, one list call is cheaper than N GETs. */
const LIST_INSTEAD_OF_GETS = 3;

export interface Loaders {
  /** All channels of one backend, by backend name. */
  channelList: DataLoader<string, Channel[]>;
  /** One channel by global id; null when the backend does not know it. */
  channel: DataLoader<string, Channel | null>;
  /** RTP statistics by global id; null when the channel has no RTP (Local, Snoop, ...). */
  rtpStats: DataLoader<string, RtpStats | null>;
  /** A channel variable by `${globalId}\u0000${name}`; null when unset. */
  variable: DataLoader<string, string | null>;
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

export function createLoaders(registry: BackendRegistry, call: CallContext): Loaders {
  const listedBackends = new Set<string>();

  const channelList: DataLoader<string, Channel[]> = new DataLoader(
    async (names) =>
      Promise.all(
        names.map(async (name) => {
          listedBackends.add(name);
          try {
            const list = await registry.require(name).listChannels(call);
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
          for (const it of items) results[it.index] = new PatchbayError(ErrorCode.NOT_FOUND, `unknown backend "${backendName}"`);
          return;
        }
        if (listedBackends.has(backendName) || items.length >= LIST_INSTEAD_OF_GETS) {
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
          items.map(async (it) => {
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
          if (e instanceof PatchbayError && (e.code === ErrorCode.UNSUPPORTED_OPERATION || e.code === ErrorCode.NOT_FOUND)) {
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

  return { channelList, channel, rtpStats, variable };
}
