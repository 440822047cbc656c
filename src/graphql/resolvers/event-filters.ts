/** GraphQL event filters → the journal's filter, validated before anything is read. */
import type { BackendRegistry } from '../../backends/registry';
import type { EventCategory } from '../../domain/events';
import { parseGlobalId } from '../../domain/ids';
import { checkAccountId, parseAccountScopedId } from '../../domain/scoped-ids';
import type { JournalFilter } from '../../events/journal/journal';
import { badInput } from '../../domain/errors';
import { isChannelEventType, screamingSnake } from '../types/events';
import type { AgentEventFilter, ChannelEventFilter, EventFilter, ObjectEventFilter } from '../types/event-inputs';

function backendOf(registry: BackendRegistry, name: string | undefined, arg: string): string[] | undefined {
  return name ? [registry.require(name, arg).name] : undefined;
}

function channelIds(id: string | undefined, arg: string): { backends?: string[]; channelId?: string } {
  if (!id) return {};
  // An id of an unknown backend matches nothing, like any missing id (docs: ids never reveal backends).
  const g = parseGlobalId(id, arg);
  return { backends: [g.backend], channelId: g.nativeId };
}

function recipientIds(
  id: string | undefined,
  arg: string,
): { backends?: string[]; accountId?: string; recipientId?: string } {
  if (!id) return {};
  const r = parseAccountScopedId(id, arg);
  return { backends: [r.backend], accountId: r.accountId, recipientId: r.objectId };
}

function hex(v: string | undefined, arg: string): string | undefined {
  if (v !== undefined && v !== null) checkAccountId(v, arg);
  return v ?? undefined;
}

/** channelEvents only ever delivers channel events: another type in its filter is a mistake. */
function channelTypes(types: string[] | undefined): string[] | undefined {
  const wrong = types?.find((t) => !isChannelEventType(t));
  if (wrong)
    throw badInput(`filter.types: ${screamingSnake(wrong)} is not a channel event type`, {
      argumentName: 'filter.types',
    });
  return types?.length ? types : undefined;
}

export function channelJournalFilter(registry: BackendRegistry, f: ChannelEventFilter | undefined): JournalFilter {
  return {
    categories: ['channel'],
    backends: backendOf(registry, f?.backend, 'filter.backend'),
    types: channelTypes(f?.types),
    accountId: hex(f?.accountId, 'filter.accountId'),
    userId: hex(f?.userId, 'filter.userId'),
    deviceId: hex(f?.deviceId, 'filter.deviceId'),
    ...channelIds(f?.channelId, 'filter.channelId'),
  };
}

export function agentJournalFilter(registry: BackendRegistry, f: AgentEventFilter | undefined): JournalFilter {
  return {
    categories: ['agent'],
    backends: backendOf(registry, f?.backend, 'filter.backend'),
    accountId: hex(f?.accountId, 'filter.accountId'),
    queueId: hex(f?.queueId, 'filter.queueId'),
    ...recipientIds(f?.recipientId, 'filter.recipientId'),
  };
}

export function objectJournalFilter(registry: BackendRegistry, f: ObjectEventFilter | undefined): JournalFilter {
  return {
    categories: ['object'],
    backends: backendOf(registry, f?.backend, 'filter.backend'),
    accountId: hex(f?.accountId, 'filter.accountId'),
  };
}

export function historyJournalFilter(registry: BackendRegistry, f: EventFilter | undefined): JournalFilter {
  const channel = channelIds(f?.channelId, 'filter.channelId');
  const recipient = recipientIds(f?.recipientId, 'filter.recipientId');
  return {
    categories: f?.categories?.length ? (f.categories as EventCategory[]) : undefined,
    backends: channel.backends ?? recipient.backends ?? backendOf(registry, f?.backend, 'filter.backend'),
    types: f?.types?.length ? f.types : undefined,
    channelId: channel.channelId,
    accountId: recipient.accountId ?? hex(f?.accountId, 'filter.accountId'),
    userId: hex(f?.userId, 'filter.userId'),
    deviceId: hex(f?.deviceId, 'filter.deviceId'),
    recipientId: recipient.recipientId,
    queueId: hex(f?.queueId, 'filter.queueId'),
  };
}
