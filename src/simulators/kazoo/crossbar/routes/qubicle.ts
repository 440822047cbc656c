/**
 * Qubicle recipients API as docs/wire/kazoo.md §5.2–§5.4 describes it, plus
 * read-only qubicle_queues. Choices where the server behaviour is unverified are listed in
 * the simulator README.
 */
import type { UserRec } from '../../store';
import { type RequestCtx, type Route, dataObject } from '../context';
import { type Ok, errors, requiredError } from '../envelope';
import { paginate } from '../paging';
import { userDoc } from './directory';

const ACTIONS = ['login', 'logout', 'wrapup_extend', 'wrapup_cancel', 'monitor'];
const STATUSES = ['login', 'logout', 'ready', 'away'];
const MONITOR_MODES = ['eavesdrop', 'whisper', 'barge'];

function enumError(field: string, allowed: string[], value: unknown) {
  return errors.validation({
    [field]: { enum: { message: 'Value not found in enumerated list of values', target: allowed, value } },
  });
}

function requireRecipient(ctx: RequestCtx, id: string): UserRec {
  const u = ctx.deps.store.users.get(id);
  if (!u || u.accountId !== ctx.params.accountId || !u.qubicle?.enabled) throw errors.badIdentifier(id);
  return u;
}

function notLoggedIn(id: string) {
  return errors.validation({
    status: { not_logged_in: { message: 'Recipient must be logged in before setting ready or away', cause: id } },
  });
}

function applyStatus(ctx: RequestCtx, u: UserRec, status: string, queueId?: string): 'ok' | 'not_logged_in' {
  const q = ctx.deps.qubicle;
  switch (status) {
    case 'login':
      q.login(u.id);
      return 'ok';
    case 'logout':
      q.logout(u.id);
      return 'ok';
    default:
      return q.setAvailability(u.id, status === 'ready', queueId);
  }
}

function recipientAction(ctx: RequestCtx): Ok {
  const u = requireRecipient(ctx, ctx.params.userId);
  const data = dataObject(ctx);
  const action = data.action;
  if (action === undefined) throw requiredError('action');
  if (typeof action !== 'string' || !ACTIONS.includes(action)) throw enumError('action', ACTIONS, action);
  const q = ctx.deps.qubicle;
  switch (action) {
    case 'login':
      q.login(u.id);
      break;
    case 'logout':
      q.logout(u.id);
      break;
    case 'wrapup_extend':
      q.wrapupExtend(u.id);
      break;
    case 'wrapup_cancel':
      q.wrapupCancel(u.id);
      break;
    case 'monitor': {
      if (data.target === undefined) throw requiredError('target');
      const mode = data.mode ?? 'eavesdrop';
      if (typeof mode !== 'string' || !MONITOR_MODES.includes(mode)) throw enumError('mode', MONITOR_MODES, mode);
      q.monitor(u.id, String(data.target), mode, u.qubicle?.callMonitor ?? false);
      break;
    }
  }
  return { data: { action } };
}

function setOwnStatus(ctx: RequestCtx): Ok {
  const u = requireRecipient(ctx, ctx.params.userId);
  const data = dataObject(ctx);
  const status = data.status;
  if (status === undefined) throw requiredError('status');
  if (typeof status !== 'string' || !STATUSES.includes(status)) throw enumError('status', STATUSES, status);
  const queueId = data.queue_id;
  if (queueId !== undefined && (typeof queueId !== 'string' || !u.qubicle!.queues.includes(queueId))) {
    throw errors.badIdentifier(String(queueId));
  }
  if (applyStatus(ctx, u, status, queueId as string | undefined) === 'not_logged_in') throw notLoggedIn(u.id);
  return { data: queueId !== undefined ? { status, queue_id: queueId } : { status } };
}

function batchStatus(ctx: RequestCtx): Ok {
  const data = dataObject(ctx);
  if (data.set_status === true) return batchSetStatus(ctx, data);
  const ids = data.recipient_ids;
  if (ids === undefined) throw requiredError('recipient_ids');
  if (!Array.isArray(ids) || ids.some((i) => typeof i !== 'string')) {
    throw errors.validation({
      recipient_ids: { type: { message: 'Value did not match type(s): array', target: 'array', value: ids } },
    });
  }
  const out: Record<string, unknown> = {};
  for (const id of ids as string[]) out[id] = ctx.deps.qubicle.batchStatus(id, ctx.params.accountId);
  return { data: out };
}

function batchSetStatus(ctx: RequestCtx, data: Record<string, unknown>): Ok {
  const out: Record<string, Record<string, 'ok' | 'error'>> = {};
  for (const [rid, spec] of Object.entries(data)) {
    if (rid === 'set_status') continue;
    const result: Record<string, 'ok' | 'error'> = {};
    const user = ctx.deps.store.users.get(rid);
    const isRecipient = user?.accountId === ctx.params.accountId && user.qubicle?.enabled;
    const entries =
      spec && typeof spec === 'object' && !Array.isArray(spec) ? Object.entries(spec as Record<string, unknown>) : [];
    for (const [scope, value] of entries) {
      const validValue = value === 'ready' || value === 'away';
      const validScope = scope === 'global' || (user?.qubicle?.queues.includes(scope) ?? false);
      if (!isRecipient || !validValue || !validScope) {
        result[scope] = 'error';
        continue;
      }
      const outcome = ctx.deps.qubicle.setAvailability(rid, value === 'ready', scope === 'global' ? undefined : scope);
      result[scope] = outcome === 'ok' ? 'ok' : 'error';
    }
    out[rid] = result;
  }
  return { data: out };
}

function requireQueue(ctx: RequestCtx) {
  const q = ctx.deps.store.queues.get(ctx.params.queueId);
  if (!q || q.accountId !== ctx.params.accountId) throw errors.badIdentifier(ctx.params.queueId);
  return q;
}

export const qubicleRoutes: Route[] = [
  {
    path: 'accounts/:accountId/qubicle_recipients',
    methods: {
      GET: (ctx) => {
        const all = ctx.deps.store.recipientsIn(ctx.params.accountId);
        const { items, paging } = paginate(all, (u) => u.id, ctx.query);
        return { data: items.map((u) => ({ id: u.id, name: `${u.firstName} ${u.lastName}` })), paging };
      },
    },
  },
  { path: 'accounts/:accountId/qubicle_recipients/status', methods: { POST: batchStatus } },
  {
    path: 'accounts/:accountId/qubicle_recipients/:userId',
    methods: {
      GET: (ctx) => {
        const u = requireRecipient(ctx, ctx.params.userId);
        return { data: userDoc(u), revision: u.rev };
      },
      POST: recipientAction,
    },
  },
  {
    path: 'accounts/:accountId/qubicle_recipients/:userId/status',
    methods: {
      GET: (ctx) => {
        const u = requireRecipient(ctx, ctx.params.userId);
        return { data: ctx.deps.qubicle.status(u.id) };
      },
      POST: setOwnStatus,
    },
  },
  {
    path: 'accounts/:accountId/qubicle_queues',
    methods: {
      GET: (ctx) => {
        const { items, paging } = paginate(ctx.deps.store.queuesIn(ctx.params.accountId), (q) => q.id, ctx.query);
        return { data: items.map((q) => ({ id: q.id, name: q.name })), paging };
      },
    },
  },
  {
    path: 'accounts/:accountId/qubicle_queues/:queueId',
    methods: {
      GET: (ctx) => {
        const q = requireQueue(ctx);
        return {
          data: { id: q.id, name: q.name, agent_wrapup_time: q.wrapupSeconds, strategy: 'mi' },
          revision: q.rev,
        };
      },
    },
  },
  {
    path: 'accounts/:accountId/qubicle_queues/:queueId/status',
    methods: { GET: (ctx) => ({ data: ctx.deps.qubicle.queueStatus(requireQueue(ctx).id) }) },
  },
];
