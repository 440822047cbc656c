/**
 * The table behind the access matrix: one row per root field of the schema. Each row says which
 * roles may call the field, how to call it on tenant A's own objects, and how to call it on
 * tenant B's objects (with what an A key must get then). matrix.cases.ts fails when the schema
 * has a root field that is not here.
 */
import type { Role } from '../../../src/auth/principal';
import type { Tenants, TenantObjects } from './tenants';

export interface Op {
  query: string;
  variables?: Record<string, unknown>;
}

/**
 * What an A-scoped key that may call the field gets for B's objects:
 * NULL (data null, no error), NOT_FOUND (as if it did not exist), UNKNOWN_BACKEND (B's ARI
 * backend is refused as unknown, BAD_USER_INPUT), EMPTY (an empty list / page), ANSWERED (not
 * tenant data, e.g. `me`: answered normally). Whatever the outcome, nothing of B may appear.
 */
export type Hidden = 'NULL' | 'NOT_FOUND' | 'UNKNOWN_BACKEND' | 'EMPTY' | 'ANSWERED';

/** What the own-tenant call is given: tenant A's objects, fresh ones for destructive fields. */
export interface OwnCtx {
  t: Tenants;
  a: TenantObjects;
  role: Role;
  ariChannel: string;
  kazooCall: string;
  playback: string;
  /** The recipient the key acts on (for AGENT: its own). */
  agent: string;
}

export interface FieldCase {
  type: 'Query' | 'Mutation' | 'Subscription';
  field: string;
  allow: readonly Role[];
  /** Ends or moves the channel it acts on: gets a fresh one (ARI or KAZOO) per allowed role. */
  fresh?: 'ari' | 'kazoo';
  own(c: OwnCtx): Op;
  /**
   * The part of an own-tenant answer that must hold nothing of B (default: all of it). The audit
   * log shows A's own refused attempts, whose arguments name B's ids as A's keys typed them.
   */
  leakScope?(r: unknown, t: Tenants): unknown;
  /** Checks an allowed own-tenant answer beyond "not refused". */
  ownCheck?(data: Record<string, any>, c: OwnCtx): void;
  other(a: TenantObjects, b: TenantObjects): Array<[Op, Hidden]>;
  /** A live stream with no cursor (channelQuality): judged by its first answers, not by journal replay. */
  live?: true;
}

const ALL: Role[] = ['ADMIN', 'SUPERVISOR', 'AGENT', 'VIEWER'];
const READERS: Role[] = ['ADMIN', 'SUPERVISOR', 'VIEWER'];
const CONTROLLERS: Role[] = ['ADMIN', 'SUPERVISOR'];
const AGENTS: Role[] = ['ADMIN', 'SUPERVISOR', 'AGENT'];
const NONE: Role[] = [];

const q = (query: string, variables?: Record<string, unknown>): Op => ({ query, variables });
const ids = (list: Array<{ id: string }>): string[] => list.map((x) => x.id);

/** An ARI channel action `field(input: { id })`: not found for B's pbx2 channel and B's KAZOO call alike. */
function ariById(field: string, extraArgs = '', extraVars = ''): FieldCase {
  const query = `mutation($id: ID!${extraVars}) { ${field}(input: { id: $id${extraArgs} }) { channel { id } } }`;
  return {
    type: 'Mutation',
    field,
    allow: CONTROLLERS,
    own: (c) => q(query, { id: c.ariChannel, d: 'BOTH' }),
    other: (_a, b) => [
      [q(query, { id: b.ariChannel, d: 'BOTH' }), 'NOT_FOUND'],
      [q(query, { id: 'nosuchbackend:1.1', d: 'BOTH' }), 'NOT_FOUND'],
      [q(query, { id: b.kazooCall, d: 'BOTH' }), 'NOT_FOUND'],
    ],
  };
}

/** An ARI channel action taking `input: { id, ... }`. */
function ariByInput(field: string, rest: string, select = '{ channel { id } }', fresh?: 'ari'): FieldCase {
  const query = `mutation($id: ID!) { ${field}(input: { id: $id${rest} }) ${select} }`;
  return {
    type: 'Mutation',
    field,
    allow: CONTROLLERS,
    fresh,
    own: (c) => q(query, { id: c.ariChannel }),
    other: (_a, b) => [
      [q(query, { id: b.ariChannel }), 'NOT_FOUND'],
      [q(query, { id: b.kazooCall }), 'NOT_FOUND'],
    ],
  };
}

/** A KAZOO channel action: B's call is not found, whichever KAZOO backend it is asked through. */
function kazooAction(field: string, query: string): FieldCase {
  return {
    type: 'Mutation',
    field,
    allow: CONTROLLERS,
    fresh: 'kazoo',
    own: (c) => q(query, { id: c.kazooCall, bob: c.a.userIds[0] }),
    other: (a, b) => [
      [q(query, { id: b.kazooCall, bob: b.userIds[0] }), 'NOT_FOUND'],
      [q(query, { id: `${a.kazoo}:${b.kazooCall.split(':')[1]}`, bob: b.userIds[0] }), 'NOT_FOUND'],
    ],
  };
}

/** A recipient action `field(input: { id })`: AGENT keys on their own recipient only. */
function recipientById(field: string): FieldCase {
  const query = `mutation($id: ID!) { ${field}(input: { id: $id }) { recipient { id name } } }`;
  return {
    type: 'Mutation',
    field,
    allow: AGENTS,
    own: (c) => q(query, { id: c.agent }),
    other: (_a, b) => [[q(query, { id: b.agent }), 'NOT_FOUND']],
  };
}

/** A backend named in the input (originate, createChannel, createExternalMedia). */
function onBackend(field: string, rest: string): FieldCase {
  const query = `mutation($b: String!) { ${field}(input: { backend: $b${rest} }) { channel { id } } }`;
  return {
    type: 'Mutation',
    field,
    allow: CONTROLLERS,
    own: (c) => q(query, { b: c.a.ari }),
    other: (_a, b) => [[q(query, { b: b.ari }), 'UNKNOWN_BACKEND']],
  };
}

function subscription(
  field: string,
  allow: Role[],
  fields: string,
  ownFilter: (a: TenantObjects) => Record<string, unknown>,
  otherFilters: (b: TenantObjects) => Array<Record<string, unknown>>,
): FieldCase {
  const query = `subscription($f: ${field[0].toUpperCase()}${field.slice(1, -6)}EventFilter, $after: String) { ${field}(filter: $f, after: $after) { cursor ${fields} } }`;
  return {
    type: 'Subscription',
    field,
    allow,
    own: (c) => q(query, { f: ownFilter(c.a), after: '0' }),
    other: (_a, b) => otherFilters(b).map((f) => [q(query, { f, after: '0' }), 'EMPTY']),
  };
}

export const FIELD_CASES: FieldCase[] = [
  // ---- queries ----
  {
    type: 'Query',
    field: 'auditLog',
    allow: CONTROLLERS,
    own: () => q('{ auditLog(first: 500) { edges { node { target arguments principalId } } } }'),
    leakScope: (r, t) => {
      const own = new Set(Object.values(t.keys).map((k) => k.split('_')[1]));
      return ((r as any).data?.auditLog?.edges ?? [])
        .map((e: { node: unknown }) => e.node)
        .filter((e: { principalId: string }) => !own.has(e.principalId));
    },
    other: () => [
      [q('{ auditLog(first: 500, filter: { backend: "pbx2" }) { edges { node { target arguments } } } }'), 'EMPTY'],
      [q('{ auditLog(first: 500, filter: { backend: "kzb" }) { edges { node { target arguments } } } }'), 'EMPTY'],
    ],
  },
  {
    type: 'Query',
    field: 'backends',
    allow: ALL,
    own: () => q('{ backends { name kind url health { connected lastError } } }'),
    ownCheck: (d) => {
      const names = d.backends.map((b: { name: string }) => b.name);
      expect(names).toEqual(expect.arrayContaining(['pbx1', 'kz']));
      expect(names).not.toContain('pbx2');
    },
    other: () => [[q('{ backends { name kind url health { connected lastError } } }'), 'ANSWERED']],
  },
  {
    type: 'Query',
    field: 'channel',
    allow: READERS,
    own: (c) =>
      q('query($a: ID!, $k: ID!) { channel(id: $a) { id } k: channel(id: $k) { id accountId } }', {
        a: c.ariChannel,
        k: c.kazooCall,
      }),
    ownCheck: (d, c) => {
      expect(d.channel).toEqual({ id: c.ariChannel });
      expect(d.k).toEqual({ id: c.kazooCall, accountId: c.a.accountId });
    },
    other: (a, b) => [
      [q('query($id: ID!) { channel(id: $id) { id name caller { name number } } }', { id: b.kazooCall }), 'NULL'],
      [
        q('query($id: ID!) { channel(id: $id) { id name } }', { id: `${a.kazoo}:${b.kazooCall.split(':')[1]}` }),
        'NULL',
      ],
      [q('query($id: ID!) { channel(id: $id) { id name } }', { id: b.ariChannel }), 'NULL'],
      [q('query($id: ID!) { channel(id: $id) { id name } }', { id: 'nosuchbackend:1.1' }), 'NULL'],
    ],
  },
  {
    type: 'Query',
    field: 'channels',
    allow: READERS,
    own: () => q('{ channels { id accountId name caller { name number } } }'),
    ownCheck: (d, c) => {
      expect(ids(d.channels)).toEqual(expect.arrayContaining([c.ariChannel, c.kazooCall]));
    },
    other: (_a, b) => [
      [q('query($a: String!) { channels(filter: { accountId: $a }) { id name } }', { a: b.accountId }), 'NOT_FOUND'],
      [
        q('query($a: String!, $b: String!) { channels(filter: { accountId: $a, backend: $b }) { id name } }', {
          a: b.accountId,
          b: b.kazoo,
        }),
        'NOT_FOUND',
      ],
      [q('query($b: String!) { channels(filter: { backend: $b }) { id name } }', { b: b.kazoo }), 'EMPTY'],
      [q('query($b: String!) { channels(filter: { backend: $b }) { id name } }', { b: b.ari }), 'UNKNOWN_BACKEND'],
      [
        q('query($a: String!, $u: String!) { channels(filter: { accountId: $a, userId: $u }) { id name } }', {
          a: b.accountId,
          u: b.userIds[0],
        }),
        'NOT_FOUND',
      ],
    ],
  },
  {
    type: 'Query',
    field: 'events',
    allow: READERS,
    own: () => q('{ events(first: 100) { edges { cursor node { backend { name } raw } } } }'),
    ownCheck: (d) => {
      expect(d.events.edges.length).toBeGreaterThan(0);
    },
    other: (_a, b) => [
      [
        q('query($f: EventFilter) { events(first: 100, filter: $f) { edges { node { raw } } } }', {
          f: { accountId: b.accountId },
        }),
        'EMPTY',
      ],
      [
        q('query($f: EventFilter) { events(first: 100, filter: $f) { edges { node { raw } } } }', {
          f: { backend: b.kazoo },
        }),
        'EMPTY',
      ],
      [
        q('query($f: EventFilter) { events(first: 100, filter: $f) { edges { node { raw } } } }', {
          f: { backend: b.ari },
        }),
        'EMPTY',
      ],
      [
        q('query($f: EventFilter) { events(first: 100, filter: $f) { edges { node { raw } } } }', {
          f: { recipientId: b.agent },
        }),
        'EMPTY',
      ],
      [
        q('query($f: EventFilter) { events(first: 100, filter: $f) { edges { node { raw } } } }', {
          f: { channelId: b.kazooCall },
        }),
        'EMPTY',
      ],
      [
        q('query($f: EventFilter) { events(first: 100, filter: $f) { edges { node { raw } } } }', {
          f: { channelId: b.ariChannel },
        }),
        'EMPTY',
      ],
      [
        q('query($f: EventFilter) { events(first: 100, filter: $f) { edges { node { raw } } } }', {
          f: { channelId: 'nosuchbackend:1.1' },
        }),
        'EMPTY',
      ],
    ],
  },
  {
    type: 'Query',
    field: 'gatewaySessions',
    // All-scope ADMIN only (sessions carry every tenant's subscription documents); the keys under test are scoped.
    allow: NONE,
    own: () => q('{ gatewaySessions { id subscriptions { query } } }'),
    other: () => [[q('{ gatewaySessions { id remoteAddress subscriptions { query operationName } } }'), 'ANSWERED']],
  },
  {
    type: 'Query',
    field: 'me',
    allow: ALL,
    own: () => q('{ me { role allScope accountIds backends recipientId } }'),
    ownCheck: (d, c) => {
      expect(d.me).toEqual({
        role: c.role,
        allScope: false,
        accountIds: [c.a.accountId],
        backends: ['pbx1'],
        recipientId: c.role === 'AGENT' ? c.agent : null,
      });
    },
    other: () => [[q('{ me { id name role accountIds backends recipientId } }'), 'ANSWERED']],
  },
  {
    type: 'Query',
    field: 'recipient',
    allow: ALL,
    own: (c) => q('query($id: ID!) { recipient(id: $id) { id name status { availabilityState } } }', { id: c.agent }),
    ownCheck: (d, c) => expect(d.recipient.id).toBe(c.agent),
    other: (a, b) => [
      [q('query($id: ID!) { recipient(id: $id) { id name status { availabilityState } } }', { id: b.agent }), 'NULL'],
      // The same agent through A's KAZOO backend (whose api key could reach the child account).
      [q('query($id: ID!) { recipient(id: $id) { id name } }', { id: `${a.kazoo}:${b.agent.split(':')[1]}` }), 'NULL'],
    ],
  },
  {
    type: 'Query',
    field: 'node',
    allow: ALL,
    // Delegates to each type's own query: for an agent, its own recipient is the one node it may see.
    own: (c) => q('query($id: ID!) { node(id: $id) { __typename id } }', { id: c.agent }),
    ownCheck: (d, c) => expect(d.node).toEqual({ __typename: 'Recipient', id: c.agent }),
    other: (_a, b) => [
      [q('query($id: ID!) { node(id: $id) { id ... on Recipient { name } } }', { id: b.agent }), 'NULL'],
      [q('query($id: ID!) { node(id: $id) { id ... on Backend { url } } }', { id: b.ari }), 'NULL'],
    ],
  },
  {
    type: 'Query',
    field: 'recipients',
    allow: READERS,
    own: (c) => q('query($b: String!) { recipients(backend: $b) { id name } }', { b: c.a.kazoo }),
    ownCheck: (d, c) => expect(ids(d.recipients)).toEqual(expect.arrayContaining([c.a.agent, c.a.otherAgent])),
    other: (a, b) => [
      [q('query($b: String!) { recipients(backend: $b) { id name } }', { b: b.kazoo }), 'EMPTY'],
      [
        q('query($a: String!, $b: String!) { recipients(accountId: $a, backend: $b) { id name } }', {
          a: b.accountId,
          b: b.kazoo,
        }),
        'NOT_FOUND',
      ],
      [
        q('query($a: String!, $b: String!) { recipients(accountId: $a, backend: $b) { id name } }', {
          a: b.accountId,
          b: a.kazoo,
        }),
        'NOT_FOUND',
      ],
      [q('query($a: String!) { recipients(accountId: $a) { id name } }', { a: b.accountId }), 'NOT_FOUND'],
    ],
  },
  {
    type: 'Query',
    field: 'websocketBindings',
    allow: READERS,
    own: (c) => q('query($b: String!) { websocketBindings(backend: $b) { category } }', { b: c.a.kazoo }),
    other: (_a, b) => [
      [q('query($b: String!) { websocketBindings(backend: $b) { category } }', { b: b.ari }), 'UNKNOWN_BACKEND'],
    ],
  },
  {
    type: 'Query',
    field: 'websocketSession',
    allow: READERS,
    own: (c) => q('query($id: ID!) { websocketSession(id: $id) { id } }', { id: c.a.session }),
    ownCheck: (d, c) => expect(d.websocketSession).toEqual({ id: c.a.session }),
    other: (a, b) => [
      [q('query($id: ID!) { websocketSession(id: $id) { id nativeId bindings } }', { id: b.session }), 'NULL'],
      [
        q('query($id: ID!) { websocketSession(id: $id) { id nativeId } }', {
          id: `${a.kazoo}:${b.session.split(':').slice(1).join(':')}`,
        }),
        'NULL',
      ],
    ],
  },
  {
    type: 'Query',
    field: 'websocketSessions',
    allow: READERS,
    own: (c) => q('query($b: String!) { websocketSessions(backend: $b) { id } }', { b: c.a.kazoo }),
    ownCheck: (d, c) => expect(ids(d.websocketSessions)).toEqual([c.a.session]),
    other: (a, b) => [
      [q('query($b: String!) { websocketSessions(backend: $b) { id nativeId } }', { b: b.kazoo }), 'EMPTY'],
      [
        q('query($a: String!, $b: String!) { websocketSessions(accountId: $a, backend: $b) { id } }', {
          a: b.accountId,
          b: a.kazoo,
        }),
        'NOT_FOUND',
      ],
    ],
  },

  // ---- ARI channel mutations ----
  ariById('answerChannel'),
  ariById('holdChannel'),
  ariById('indicateProgress'),
  ariById('muteChannel', ', direction: $d', ', $d: MuteDirection!'),
  ariById('reportTransferProgress', ', state: CHANNEL_PROGRESS'),
  ariById('ringChannel'),
  ariById('startMusicOnHold'),
  ariById('startSilence'),
  ariById('stopMusicOnHold'),
  ariById('stopRinging'),
  ariById('stopSilence'),
  ariById('unholdChannel'),
  ariById('unmuteChannel', ', direction: $d', ', $d: MuteDirection!'),
  {
    ...ariById('redirectChannel', ', endpoint: "PJSIP/bob"'),
    fresh: 'ari',
  },
  ariByInput('sendDtmf', ', dtmf: "12"'),
  ariByInput('setChannelVariable', ', name: "X_ACCESS", value: "1"'),
  ariByInput('dialChannel', ''),
  ariByInput('snoopChannel', ', app: "patchbay", spy: BOTH'),
  ariByInput('playMedia', ', media: ["sound:hello-world"]', '{ playback { id } }'),
  ariByInput('recordChannel', ', name: "access-rec", format: "wav", ifExists: OVERWRITE', '{ recording { name } }'),
  ariByInput('continueInDialplan', '', undefined, 'ari'),
  ariByInput('moveChannel', ', app: "other-app"', undefined, 'ari'),
  ariByInput('hangupChannel', '', '{ hungUpChannelId }', 'ari'),
  {
    type: 'Mutation',
    field: 'setChannelVariables',
    allow: CONTROLLERS,
    own: (c) =>
      q(
        'mutation($id: ID!) { setChannelVariables(input: { id: $id, variables: [{ name: "X_A", value: "1" }] }) { channel { id } } }',
        { id: c.ariChannel },
      ),
    other: (_a, b) => [
      [
        q(
          'mutation($id: ID!) { setChannelVariables(input: { id: $id, variables: [{ name: "X_A", value: "1" }] }) { channel { id } } }',
          { id: b.ariChannel },
        ),
        'NOT_FOUND',
      ],
      [
        q(
          'mutation($id: ID!) { setChannelVariables(input: { id: $id, variables: [{ name: "X_A", value: "1" }] }) { channel { id } } }',
          { id: b.kazooCall },
        ),
        'NOT_FOUND',
      ],
    ],
  },
  {
    type: 'Mutation',
    field: 'controlPlayback',
    allow: CONTROLLERS,
    own: (c) =>
      q('mutation($id: ID!) { controlPlayback(input: { id: $id, operation: PAUSE }) { playback { id } } }', {
        id: c.playback,
      }),
    other: (_a, b) => [
      [
        q('mutation($id: ID!) { controlPlayback(input: { id: $id, operation: PAUSE }) { playback { id state } } }', {
          id: b.playback,
        }),
        'NOT_FOUND',
      ],
    ],
  },
  {
    type: 'Mutation',
    field: 'stopPlayback',
    allow: CONTROLLERS,
    own: (c) => q('mutation($id: ID!) { stopPlayback(input: { id: $id }) { stoppedPlaybackId } }', { id: c.playback }),
    other: (_a, b) => [
      [
        q('mutation($id: ID!) { stopPlayback(input: { id: $id }) { stoppedPlaybackId } }', { id: b.playback }),
        'NOT_FOUND',
      ],
    ],
  },
  onBackend('originate', ', endpoint: "Local/wait@ari-test", app: "patchbay"'),
  onBackend('createChannel', ', endpoint: "PJSIP/alice", app: "patchbay"'),
  onBackend('createExternalMedia', ', app: "patchbay", externalHost: "127.0.0.1:9999", format: "ulaw"'),

  // ---- KAZOO channel mutations ----
  kazooAction('breakChannel', 'mutation($id: ID!) { breakChannel(input: { id: $id }) { channel { id } } }'),
  kazooAction(
    'interceptChannel',
    'mutation($id: ID!, $bob: String!) { interceptChannel(input: { id: $id, targetType: USER, targetId: $bob }) { channel { id } } }',
  ),
  kazooAction(
    'runMetaflow',
    'mutation($id: ID!) { runMetaflow(input: { id: $id, metaflow: { module: "hangup" } }) { channel { id } } }',
  ),
  kazooAction(
    'sendChannelToCallflow',
    'mutation($id: ID!, $bob: String!) { sendChannelToCallflow(input: { id: $id, callflowId: $bob }) { channel { id } } }',
  ),
  kazooAction(
    'transferChannel',
    'mutation($id: ID!) { transferChannel(input: { id: $id, target: "2600" }) { channel { id } } }',
  ),

  // ---- recipients ----
  recipientById('cancelWrapup'),
  recipientById('extendWrapup'),
  recipientById('loginRecipient'),
  recipientById('logoutRecipient'),
  {
    type: 'Mutation',
    field: 'setRecipientStatus',
    allow: AGENTS,
    own: (c) =>
      q('mutation($id: ID!) { setRecipientStatus(input: { id: $id, status: READY }) { recipient { id } } }', {
        id: c.agent,
      }),
    other: (_a, b) => [
      [
        q('mutation($id: ID!) { setRecipientStatus(input: { id: $id, status: AWAY }) { recipient { id name } } }', {
          id: b.agent,
        }),
        'NOT_FOUND',
      ],
      [
        q(
          'mutation($id: ID!, $qid: String!) { setRecipientStatus(input: { id: $id, status: AWAY, queueId: $qid }) { recipient { id } } }',
          { id: b.agent, qid: b.queueId },
        ),
        'NOT_FOUND',
      ],
    ],
  },
  {
    type: 'Mutation',
    field: 'setRecipientStatuses',
    allow: AGENTS,
    own: (c) =>
      q(
        'mutation($id: ID!) { setRecipientStatuses(input: { items: [{ id: $id, status: READY }] }) { results { recipientId ok } } }',
        { id: c.agent },
      ),
    other: (a, b) => [
      [
        q(
          'mutation($id: ID!) { setRecipientStatuses(input: { items: [{ id: $id, status: AWAY }] }) { results { recipientId ok error } } }',
          { id: b.agent },
        ),
        'NOT_FOUND',
      ],
      // A mixed batch is refused whole: A's line must not be applied as a side channel either.
      [
        q(
          'mutation($a: ID!, $b: ID!) { setRecipientStatuses(input: { items: [{ id: $a, status: READY }, { id: $b, status: AWAY }] }) { results { recipientId ok } } }',
          { a: a.agent, b: b.agent },
        ),
        'NOT_FOUND',
      ],
    ],
  },
  {
    type: 'Mutation',
    field: 'monitorRecipient',
    allow: CONTROLLERS,
    own: (c) =>
      q(
        'mutation($id: ID!, $t: ID!) { monitorRecipient(input: { id: $id, target: $t, mode: EAVESDROP }) { recipient { id } } }',
        { id: c.a.otherAgent, t: c.a.agent },
      ),
    other: (a, b) => [
      [
        q(
          'mutation($id: ID!, $t: ID!) { monitorRecipient(input: { id: $id, target: $t, mode: EAVESDROP }) { recipient { id name } } }',
          { id: b.otherAgent, t: b.agent },
        ),
        'NOT_FOUND',
      ],
      [
        q(
          'mutation($id: ID!, $t: ID!) { monitorRecipient(input: { id: $id, target: $t, mode: BARGE }) { recipient { id } } }',
          { id: a.otherAgent, t: b.agent },
        ),
        'NOT_FOUND',
      ],
      [
        q(
          'mutation($id: ID!, $t: ID!) { monitorRecipient(input: { id: $id, target: $t, mode: BARGE }) { recipient { id } } }',
          { id: b.otherAgent, t: a.agent },
        ),
        'NOT_FOUND',
      ],
    ],
  },

  // ---- subscriptions (run over graphql-ws, replay from the start of the journal) ----
  subscription(
    'channelEvents',
    READERS,
    '... on ChannelEvent { channelId accountId } raw',
    (a) => ({ backend: a.ari }),
    (b) => [{ accountId: b.accountId }, { backend: b.kazoo }, { backend: b.ari }, { channelId: b.kazooCall }],
  ),
  subscription(
    'agentEvents',
    ALL,
    'recipientId accountId raw',
    (a) => ({ backend: a.kazoo }),
    (b) => [{ accountId: b.accountId }, { backend: b.kazoo }, { recipientId: b.agent }],
  ),
  subscription(
    'objectEvents',
    READERS,
    'raw',
    (a) => ({ backend: a.kazoo }),
    (b) => [{ accountId: b.accountId }, { backend: b.kazoo }],
  ),
  {
    type: 'Subscription',
    field: 'channelQuality',
    allow: READERS,
    live: true,
    own: () => q('subscription { channelQuality(intervalSeconds: 1) { channelId mos } }'),
    // B's PJSIP call is made when the check runs (src: checkLiveStream in matrix.cases.ts).
    other: () => [],
  },
];
