/**
 * cb_websockets (docs/wire/kazoo.md §4.1): the public binding catalogue and the Blackhole session
 * tracking API. Sessions are the simulator's live Blackhole connections.
 */
import { bindingCatalogue } from '../../blackhole/bindings';
import { gregorianFromMs } from '../../wire';
import type { RequestCtx, Route, TrackedSession } from '../context';

function visible(ctx: RequestCtx): TrackedSession[] {
  const accountId = ctx.params.accountId;
  const caller = ctx.claims?.account_id;
  return ctx.deps
    .sessions()
    .filter((s) => s.authAccountId !== undefined)
    .filter((s) => s.authAccountId === accountId || s.accountIds.includes(accountId) || s.authAccountId === caller);
}

/** blackhole_tracking:to_resp_data/1 (auth_token, auth_account_id, req_id, account_id stripped). */
function sessionData(ctx: RequestCtx, s: TrackedSession): Record<string, unknown> {
  const out: Record<string, unknown> = {
    bindings: [...s.bindings],
    websocket_session_id: s.id,
    timestamp: gregorianFromMs(s.connectedMs),
    destination: ctx.deps.blackholeHost,
    source: s.source,
  };
  if (s.name !== undefined) out.name = s.name;
  if (s.metadata !== undefined) out.metadata = s.metadata;
  return out;
}

export const websocketRoutes: Route[] = [
  { path: 'websockets', methods: { GET: () => ({ data: bindingCatalogue() }) }, public: true },
  {
    path: 'accounts/:accountId/websockets',
    methods: { GET: (ctx) => ({ data: visible(ctx).map((s) => sessionData(ctx, s)) }) },
  },
  {
    path: 'accounts/:accountId/websockets/:socketId',
    methods: {
      GET: (ctx) => {
        const s = visible(ctx).find((x) => x.id === ctx.params.socketId);
        // The tracker answers `Data: []` for an unknown id; crossbar passes it through.
        return { data: s ? sessionData(ctx, s) : [] };
      },
    },
  },
];
