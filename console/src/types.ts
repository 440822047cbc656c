/** The shapes the console's documents (operations.ts) select. */

export interface Party {
  name: string;
  number: string;
}

export interface Channel {
  id: string;
  nativeId: string;
  name: string;
  state: string;
  rawState: string;
  accountId: string | null;
  direction: string | null;
  createdAt: string;
  capabilities: string[];
  backend: { name: string; kind: 'ARI' | 'KAZOO' };
  caller: Party;
  connected: Party;
  /** Only where the gateway has Channel.quality (feature-detected). */
  quality?: Record<string, number | null> | null;
}

export interface QueueAvailability {
  queueId: string;
  available: boolean;
}

export interface RecipientCall {
  sessionId: string | null;
  queueId: string | null;
  callerIdName: string | null;
  callerIdNumber: string | null;
  queueEnterTime: string | null;
}

export interface Recipient {
  id: string;
  nativeId: string;
  name: string;
  accountId: string;
  backend: { name: string };
  status: {
    availabilityState: string;
    rawAvailabilityState: string;
    loggedIn: boolean;
    available: boolean;
    wrapupTimeSeconds: number;
    wiretappingRecipient: string | null;
    wiretapMode: string | null;
    queueAvailability: QueueAvailability[];
    handlingCall: RecipientCall | null;
  };
}

export interface Me {
  id: string;
  name: string;
  role: 'ADMIN' | 'SUPERVISOR' | 'AGENT' | 'VIEWER';
  allScope: boolean;
  backends: string[];
  accountIds: string[];
  recipientId: string | null;
}

export interface JournalEventBase {
  __typename: string;
  cursor: string;
  backend: { name: string } | null;
  accountId: string | null;
  receivedAt: string;
  occurredAt: string;
  reconciled: boolean;
}

export interface ChannelEventMsg extends JournalEventBase {
  channelId: string | null;
  channel: Channel | null;
  channels?: Channel[];
  recipients?: Recipient[];
}

export interface AgentEventMsg extends JournalEventBase {
  recipientId: string | null;
  queueId: string | null;
  callId: string | null;
  action?: string;
  availabilityState?: string;
  recipient?: Recipient | null;
  recipients?: Recipient[];
}

/** What the key may do, from `me` (src/graphql/authz.ts's role groups). */
export interface Permissions {
  readCalls: boolean;
  controlCalls: boolean;
  actOnAgents: boolean;
  /** AGENT keys: only this recipient. */
  ownRecipient: string | null;
}

export function permissionsOf(me: Me): Permissions {
  const controller = me.role === 'ADMIN' || me.role === 'SUPERVISOR';
  return {
    readCalls: me.role !== 'AGENT',
    controlCalls: controller,
    actOnAgents: controller || me.role === 'AGENT',
    ownRecipient: me.role === 'AGENT' ? me.recipientId : null,
  };
}
