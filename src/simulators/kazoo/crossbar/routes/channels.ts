/**
 * cb_channels (docs/wire/kazoo.md §3): listings (system, account, user, device), detail, POST
 * actions with bare-string `data`, PUT metaflow. Unknown call-ids answer like the real
 * AMQP timeout: 503 "datastore timeout" after a (configurable) wait.
 */
import type { Leg } from '../../calls';
import { channelDetail, channelListItem } from '../../channel-shapes';
import { type RequestCtx, type Route, dataObject, reqValue } from '../context';
import { type Ok, type ValidationErrors, errors } from '../envelope';
import { requireDevice } from './directory';

function resellerOf(ctx: RequestCtx, accountId: string): string | undefined {
  const a = ctx.deps.store.accounts.get(accountId);
  return a?.parentId ?? a?.id;
}

function listOf(ctx: RequestCtx, legs: Leg[]): Ok {
  const now = Date.now();
  const seen = new Map<string, Leg>();
  for (const l of legs) seen.set(l.callId, l);
  return { data: [...seen.values()].map((l) => channelListItem(l, resellerOf(ctx, l.accountId), now)) };
}

/** Channels whose SIP username+realm belong to the given devices (ecallmgr find_by_user_realm). */
function legsForUsernames(ctx: RequestCtx, usernames: string[]): Leg[] {
  if (usernames.length === 0) return [];
  const realm = ctx.deps.store.accounts.get(ctx.params.accountId)!.realm.toLowerCase();
  const wanted = new Set(usernames.map((u) => u.toLowerCase()));
  return ctx.deps.calls
    .activeLegs()
    .filter((l) => l.username !== undefined && wanted.has(l.username.toLowerCase()) && l.realm.toLowerCase() === realm);
}

async function lookup(ctx: RequestCtx): Promise<Leg> {
  const id = ctx.params.callId;
  const leg = ctx.deps.calls.leg(id);
  if (!leg) {
    await new Promise((r) => setTimeout(r, ctx.deps.channelLookupTimeoutMs));
    throw errors.datastoreTimeout();
  }
  if (leg.accountId !== ctx.params.accountId) throw errors.badIdentifier(id);
  return leg;
}

function scheduleHangup(ctx: RequestCtx, callId: string): void {
  const t = setTimeout(() => {
    if (ctx.deps.calls.leg(callId)) ctx.deps.calls.hangupCall(callId, 'NORMAL_CLEARING');
  }, ctx.deps.actionEffectMs);
  t.unref?.();
}

async function postAction(ctx: RequestCtx): Promise<Ok> {
  const leg = await lookup(ctx);
  const action = reqValue(ctx, 'action');
  switch (action) {
    case 'transfer': {
      if (reqValue(ctx, 'target') === undefined) {
        throw errors.validation({ target: { required: { message: 'No target destination specified' } } });
      }
      if (!leg.otherLeg) {
        throw errors.validation({ other_leg_call_id: { required: { message: 'Channel is not bridged' } } });
      }
      return { data: 'transfer initiated' };
    }
    case 'hangup':
      scheduleHangup(ctx, leg.callId);
      return { data: 'hangup initiated' };
    case 'break':
      return { data: 'break initiated' };
    case 'callflow':
      return { data: 'callflow initiated' };
    case 'intercept': {
      const errs: ValidationErrors = {};
      if (reqValue(ctx, 'target_type') === undefined)
        errs.target_type = { required: { message: 'No target type specified' } };
      if (reqValue(ctx, 'target_id') === undefined)
        errs.target_id = { required: { message: 'No target id specified' } };
      if (Object.keys(errs).length > 0) throw errors.validation(errs);
      return { data: 'intercept initiated' };
    }
    case 'move':
      return { data: 'move initiated' };
    default:
      throw errors.invalidData();
  }
}

/** The `metaflow` JSON schema: module required (string 1..64), data/children objects. */
function validateMetaflow(flow: Record<string, unknown>): void {
  const errs: ValidationErrors = {};
  const module = flow.module;
  if (module === undefined) errs.module = { required: { message: 'Field is required but missing' } };
  else if (typeof module !== 'string')
    errs.module = { type: { message: 'Value did not match type(s): string', target: 'string', value: module } };
  else if (module.length < 1)
    errs.module = { minLength: { message: 'String must be at least 1 characters', target: 1, value: module } };
  else if (module.length > 64)
    errs.module = { maxLength: { message: 'String must not be more than 64 characters', target: 64, value: module } };
  for (const key of ['data', 'children']) {
    const v = flow[key];
    if (v !== undefined && (v === null || typeof v !== 'object' || Array.isArray(v))) {
      errs[key] = { type: { message: 'Value did not match type(s): object', target: 'object', value: v } };
    }
  }
  if (Object.keys(errs).length > 0) throw errors.validation(errs);
}

async function putMetaflow(ctx: RequestCtx): Promise<Ok> {
  const leg = await lookup(ctx);
  if (reqValue(ctx, 'action') !== 'metaflow') throw errors.invalidData();
  const flow = dataObject(ctx);
  validateMetaflow(flow);
  if (flow.module === 'hangup') scheduleHangup(ctx, leg.callId);
  return { data: 'metaflow sent' };
}

export const channelRoutes: Route[] = [
  {
    path: 'channels',
    methods: {
      GET: (ctx) => {
        if (!ctx.deps.allowSystemWideChannels()) throw errors.server('could not reach ecallmgr channels');
        return listOf(ctx, ctx.deps.calls.activeLegs());
      },
    },
    authorize: (ctx) => {
      if (!ctx.deps.store.accounts.get(ctx.claims!.account_id)?.superduperAdmin) throw errors.forbidden();
    },
  },
  {
    path: 'accounts/:accountId/channels',
    methods: {
      GET: (ctx) =>
        listOf(
          ctx,
          ctx.deps.calls.activeLegs().filter((l) => l.accountId === ctx.params.accountId),
        ),
    },
  },
  {
    path: 'accounts/:accountId/users/:userId/channels',
    methods: {
      GET: (ctx) => {
        const devices = ctx.deps.store
          .devicesOwnedBy(ctx.params.userId)
          .filter((d) => d.accountId === ctx.params.accountId);
        return listOf(
          ctx,
          legsForUsernames(
            ctx,
            devices.map((d) => d.sipUsername),
          ),
        );
      },
    },
  },
  {
    path: 'accounts/:accountId/devices/:deviceId/channels',
    methods: {
      GET: (ctx) => {
        const device = requireDevice(ctx, ctx.params.deviceId);
        return listOf(ctx, legsForUsernames(ctx, [device.sipUsername]));
      },
    },
  },
  {
    path: 'accounts/:accountId/channels/:callId',
    methods: {
      GET: async (ctx) => {
        const leg = await lookup(ctx);
        const account = ctx.deps.store.accounts.get(leg.accountId);
        return { data: channelDetail(leg, resellerOf(ctx, leg.accountId), account?.name) };
      },
      POST: postAction,
      PUT: putMetaflow,
    },
  },
];
