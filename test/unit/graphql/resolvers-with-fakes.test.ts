/**
 * Resolvers executed in process against fake backends (test/helpers/fake-backends.ts): the
 * schema, context and error formatting the server uses, with no sockets or database.
 */
import 'reflect-metadata';
import { execute, parse, type ExecutionResult, type GraphQLSchema } from 'graphql';
import type { AuditLog } from '../../../src/auth/audit';
import type { Principal } from '../../../src/auth/principal';
import { BackendRegistry } from '../../../src/backends/registry';
import { BackendError, ErrorCode } from '../../../src/domain/errors';
import { createContext, type EventServices, type GraphQLContext } from '../../../src/graphql/context';
import { formatError } from '../../../src/graphql/errors';
import { getSchema } from '../../../src/graphql/schema';
import { GatewaySessionRegistry } from '../../../src/graphql/sessions';
import {
  fakeAriBackend,
  fakeChannel,
  fakeKazooBackend,
  type FakeAriBackend,
  type FakeKazooBackend,
} from '../../helpers/fake-backends';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const ADMIN: Principal = {
  id: 'k-admin',
  name: 'admin',
  role: 'ADMIN',
  scope: { all: true, accountIds: [], backends: [] },
  recipientId: null,
};

let schema: GraphQLSchema;
let pbx: FakeAriBackend;
let kz: FakeKazooBackend;
let audited: unknown[];

beforeAll(async () => {
  schema = await getSchema();
});

beforeEach(() => {
  pbx = fakeAriBackend('pbx1', [fakeChannel('pbx1', 'ari', '1700000000.1')]);
  kz = fakeKazooBackend('kz1', ACCOUNT, [
    fakeChannel('kz1', 'kazoo', 'call-a', { state: 'RINGING', rawState: 'ringing', kazoo: { accountId: ACCOUNT } }),
  ]);
  audited = [];
});

/** Runs one operation as the server would, with errors formatted by src/graphql/errors.ts. */
async function run(
  query: string,
  variables?: Record<string, unknown>,
  principal: Principal = ADMIN,
): Promise<{ result: ExecutionResult; ctx: GraphQLContext }> {
  const events = { live: () => null, ingestStatus: () => null } as unknown as EventServices; // no live view: loaders ask the backends
  const audit = { record: (entry: unknown) => audited.push(entry) } as unknown as AuditLog;
  const ctx = createContext(
    { registry: new BackendRegistry([pbx, kz]), audit, events, sessions: new GatewaySessionRegistry('test') },
    'req-1',
    principal,
  );
  const raw = (await execute({
    schema,
    document: parse(query),
    variableValues: variables,
    contextValue: ctx,
  })) as ExecutionResult;
  const errors = raw.errors?.map((e) => formatError(e.toJSON(), e));
  return { result: { ...raw, errors: errors as never }, ctx };
}

describe('resolvers over fake backends', () => {
  it('channels lists both kinds with global ids, state and backend', async () => {
    const { result } = await run('{ channels { id state backend { name } } }');
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      channels: [
        { id: 'pbx1:1700000000.1', state: 'UP', backend: { name: 'pbx1' } },
        { id: 'kz1:call-a', state: 'RINGING', backend: { name: 'kz1' } },
      ],
    });
  });

  it('a failing backend becomes one partial error; the other still answers', async () => {
    pbx.failNext(
      'listChannels',
      new BackendError(ErrorCode.BACKEND_UNAVAILABLE, 'pbx1 did not answer', 'pbx1', undefined, undefined),
    );
    const { result, ctx } = await run('{ channels { id } }');
    expect(result.data).toEqual({ channels: [{ id: 'kz1:call-a' }] });
    expect(ctx.partialErrors.map((e) => [e.extensions.code, e.extensions.backend])).toEqual([
      ['BACKEND_UNAVAILABLE', 'pbx1'],
    ]);
  });

  it('hangupChannel reaches the ARI backend with the cause and is audited', async () => {
    const { result } = await run(
      'mutation($id: ID!) { hangupChannel(input: { id: $id, reasonCode: 17 }) { hungUpChannelId channel { id state } } }',
      {
        id: 'pbx1:1700000000.1',
      },
    );
    expect(result.errors).toBeUndefined();
    // The id to evict, and the channel as last seen before the hangup.
    expect(result.data).toEqual({
      hangupChannel: { hungUpChannelId: 'pbx1:1700000000.1', channel: { id: 'pbx1:1700000000.1', state: 'UP' } },
    });
    expect(pbx.calls.filter((c) => c.op === 'hangupChannel')).toEqual([
      { op: 'hangupChannel', args: ['1700000000.1', { reason: undefined, reasonCode: 17 }] },
    ]);
    expect(audited).toHaveLength(1);
  });

  it('a backend refusal keeps its code, status and message in extensions', async () => {
    pbx.failNext(
      'hangupChannel',
      new BackendError(ErrorCode.NOT_FOUND, 'Channel not found', 'pbx1', 404, 'Channel not found'),
    );
    const { result } = await run('mutation { hangupChannel(input: { id: "pbx1:1700000000.1" }) { hungUpChannelId } }');
    expect(result.errors?.[0]).toMatchObject({
      path: ['hangupChannel'],
      extensions: { code: 'NOT_FOUND', backend: 'pbx1', backendStatus: 404, backendMessage: 'Channel not found' },
    });
  });

  it('an out-of-range cause is refused before the backend is asked anything', async () => {
    const { result } = await run(
      'mutation { hangupChannel(input: { id: "pbx1:1700000000.1", reasonCode: 300 }) { hungUpChannelId } }',
    );
    expect(result.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(pbx.calls).toEqual([]);
  });

  it('an account-scoped key is refused a KAZOO hangup cause; the refusal is audited in its account', async () => {
    const scoped: Principal = {
      ...ADMIN,
      id: 'k-sup',
      role: 'SUPERVISOR',
      scope: { all: false, accountIds: [ACCOUNT], backends: [] },
    };
    const { result } = await run(
      'mutation { hangupChannel(input: { id: "kz1:call-a", reasonCode: 16 }) { hungUpChannelId } }',
      undefined,
      scoped,
    );
    expect(result.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argumentName: 'input.reason' });
    // Only the audit's read of the call (its account decides who sees the entry); nothing hung up.
    expect(kz.calls.map((c) => c.op)).toEqual(['getChannel']);
    expect(audited).toEqual([
      expect.objectContaining({
        operation: 'hangupChannel',
        resultCode: 'BAD_USER_INPUT',
        accountId: ACCOUNT,
        arguments: { input: { id: 'kz1:call-a', reasonCode: 16 } },
      }),
    ]);
  });
});
