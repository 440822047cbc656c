/** Assertions shared by the access cases: refused, hidden, and "nothing of B in here". */
import type { GraphQLResponse } from '../../helpers/gateway-harness';
import { subscribe } from '../../helpers/gateway-harness';
import type { Client } from 'graphql-ws';
import type { Hidden, Op } from './field-cases';

type Err = NonNullable<GraphQLResponse['errors']>[number];

/** How the gateway refused a call on access grounds, or null when it did not. */
export function refusal(errors: Err[] | undefined): string | null {
  for (const e of errors ?? []) {
    const code = e.extensions?.code;
    if (code === 'UNAUTHENTICATED' || code === 'FORBIDDEN') return code;
    // Backend answers carry `backend`; scope refusals never do (nothing to tell).
    if (code === 'NOT_FOUND' && !e.extensions?.backend) return 'NOT_FOUND';
    if (code === 'BAD_USER_INPUT' && /unknown backend/.test(e.message)) return 'UNKNOWN_BACKEND';
  }
  return null;
}

/** Fails naming the first string of `secrets` found in `value` (serialized). */
export function expectNoLeak(value: unknown, secrets: readonly string[], what: string): void {
  const text = JSON.stringify(value);
  const found = secrets.filter((s) => s.length > 0 && text.includes(s));
  if (found.length > 0) throw new Error(`${what}: leaks ${JSON.stringify(found)} in ${text.slice(0, 1500)}`);
}

function isEmpty(v: unknown): boolean {
  if (Array.isArray(v)) return v.length === 0;
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.entries)) return o.entries.length === 0;
    if (Array.isArray(o.edges)) return o.edges.length === 0;
  }
  return false;
}

/** The answer an A key must get for B's objects (see Hidden). */
export function expectHidden(r: GraphQLResponse, field: string, hidden: Hidden, what: string): void {
  const data = r.data?.[field];
  const codes = (r.errors ?? []).map((e) => e.extensions?.code);
  const msg = `${what}: expected ${hidden}, got ${JSON.stringify({ status: r.status, data: r.data, errors: r.errors })}`;
  const ok = ((): boolean => {
    switch (hidden) {
      case 'NULL':
        return !r.errors && data === null;
      case 'EMPTY':
        return !r.errors && isEmpty(data);
      case 'ANSWERED':
        return !r.errors && data !== undefined && data !== null;
      case 'NOT_FOUND':
        return (
          codes.length > 0 &&
          (r.errors ?? []).every((e) => e.extensions?.code === 'NOT_FOUND' && !e.extensions?.backend) &&
          (data === null || data === undefined || isEmpty(data))
        );
      case 'UNKNOWN_BACKEND':
        return codes.length === 1 && refusal(r.errors) === 'UNKNOWN_BACKEND' && (data === null || data === undefined);
    }
  })();
  if (!ok) throw new Error(msg);
}

/** Subscribes over graphql-ws and resolves with the collector. */
export function wsSubscribe(client: Client, op: Op) {
  return subscribe(client, op.query, op.variables);
}

export function cursorOf(item: { data?: Record<string, any> | null }): bigint {
  const payload = Object.values(item.data ?? {})[0] as { cursor?: string } | undefined;
  return BigInt(payload?.cursor ?? '-1');
}
