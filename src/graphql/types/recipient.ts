import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSONObject } from 'graphql-scalars';
import { Node } from './node';

export enum AvailabilityStateEnum {
  NOT_LOGGED_IN = 'NOT_LOGGED_IN',
  READY = 'READY',
  AWAY = 'AWAY',
  CALL_OFFER = 'CALL_OFFER',
  ON_A_CALL = 'ON_A_CALL',
  WRAPUP_TIME = 'WRAPUP_TIME',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(AvailabilityStateEnum, {
  name: 'AvailabilityState',
  description: "A call-center agent's state (Qubicle): Not-Logged-In, Ready, Away, Call-Offer, On-A-Call, Wrapup-Time.",
  valuesConfig: {
    NOT_LOGGED_IN: { description: 'Not logged in.' },
    READY: { description: 'Ready for a call.' },
    AWAY: { description: 'Away.' },
    CALL_OFFER: { description: 'A call is being offered.' },
    ON_A_CALL: { description: 'On a queue call.' },
    WRAPUP_TIME: { description: 'Wrapping up after a call.' },
    UNKNOWN: { description: 'A state patchbay does not know; see rawAvailabilityState.' },
  },
});

export enum WiretapModeEnum {
  EAVESDROP = 'eavesdrop',
  WHISPER = 'whisper',
  BARGE = 'barge',
}
registerEnumType(WiretapModeEnum, {
  name: 'WiretapMode',
  description: 'How a supervisor monitors: listen, talk to the agent only, or join.',
  valuesConfig: {
    EAVESDROP: { description: 'Listen only.' },
    WHISPER: { description: 'Talk to the agent only.' },
    BARGE: { description: 'Join the call.' },
  },
});

export enum RecipientStatusValueEnum {
  READY = 'ready',
  AWAY = 'away',
}
registerEnumType(RecipientStatusValueEnum, {
  name: 'RecipientStatusValue',
  description: 'A status an agent can be set to.',
  valuesConfig: {
    READY: { description: 'Ready for calls.' },
    AWAY: { description: 'Away: no calls offered.' },
  },
});

@ObjectType({ description: 'Availability in one queue.' })
export class QueueAvailability {
  @Field({ description: 'The queue (32 hex).' }) queueId!: string;
  @Field({ description: 'Available in this queue.' }) available!: boolean;
}

@ObjectType({ description: 'A queue call offered to or handled by an agent.' })
export class RecipientCall {
  @Field(() => String, { nullable: true, description: 'The queue the call came through.' }) queueId!: string | null;
  @Field(() => String, { nullable: true, description: 'Queue session (call) id.' }) sessionId!: string | null;
  @Field(() => String, { nullable: true, description: 'Caller name.' }) callerIdName!: string | null;
  @Field(() => String, { nullable: true, description: 'Caller number.' }) callerIdNumber!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the caller entered the queue.' })
  queueEnterTime!: Date | null;
}

@ObjectType({ description: "An agent's counters since login." })
export class RecipientStats {
  @Field(() => Int, { description: 'Calls handled.' }) totalCalls!: number;
  @Field(() => Int, { nullable: true, description: 'Calls offered (when the backend counts them).' }) offeredCalls!:
    number | null;
  @Field(() => Int, { description: 'Calls offered and not taken.' }) missedCalls!: number;
  @Field(() => Float, { description: 'Average call length, in seconds.' }) avgCallTimeSeconds!: number;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the agent logged in.' }) loginTime!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the agent last changed state.' })
  lastActionTime!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the agent last finished a call.' })
  lastHandledTime!: Date | null;
}

@ObjectType({
  description:
    "An agent's live state. A logged-out agent has loggedIn false, availabilityState NOT_LOGGED_IN and nothing else.",
})
export class RecipientStatus {
  @Field({ description: 'false when Qubicle answers "not_logged_in".' }) loggedIn!: boolean;
  @Field({ description: 'Can take a call now.' }) available!: boolean;
  @Field(() => AvailabilityStateEnum, { description: 'State, normalised.' }) availabilityState!: AvailabilityStateEnum;
  @Field({ description: 'State exactly as the backend said it, e.g. "Wrapup-Time".' }) rawAvailabilityState!: string;
  @Field(() => [QueueAvailability], { description: 'Availability per queue.' }) queueAvailability!: QueueAvailability[];
  @Field(() => RecipientCall, { nullable: true, description: 'The call being offered now, if any.' })
  offeredCall!: RecipientCall | null;
  @Field(() => RecipientCall, { nullable: true, description: 'The call being handled now, if any.' })
  handlingCall!: RecipientCall | null;
  @Field(() => ID, { nullable: true, description: 'Global id of the agent this one is monitoring.' })
  wiretappingRecipient!: string | null;
  @Field(() => WiretapModeEnum, { nullable: true, description: 'How this agent is monitoring another, when it is.' })
  wiretapMode!: WiretapModeEnum | null;
  @Field(() => Int, { description: 'Seconds of wrap-up left; 0 outside wrap-up.' }) wrapupTimeSeconds!: number;
  @Field(() => RecipientStats, { nullable: true, description: 'Counters since login (null when logged out).' })
  stats!: RecipientStats | null;
  @Field(() => String, { nullable: true, description: 'Node the agent process runs on.' }) node!: string | null;
}

@ObjectType({
  description: 'The parts of the user document that matter to the call center (the login PIN is never shown).',
})
export class RecipientConfig {
  @Field(() => String, { nullable: true, description: 'First name from the user document.' }) firstName!: string | null;
  @Field(() => String, { nullable: true, description: 'Last name from the user document.' }) lastName!: string | null;
  @Field(() => String, { nullable: true, description: 'Username from the user document.' }) username!: string | null;
  @Field(() => String, { nullable: true, description: 'E-mail from the user document.' }) email!: string | null;
  @Field(() => String, { nullable: true, description: 'Presence id from the user document.' }) presenceId!:
    string | null;
  @Field({ description: 'Qubicle enabled for this user.' }) enabled!: boolean;
  @Field(() => Boolean, {
    nullable: true,
    description: 'Whether calls are offered to this agent (qubicle offering flag).',
  })
  offering!: boolean | null;
  @Field({ description: 'A login PIN is set (the PIN itself is never shown).' }) hasPin!: boolean;
  @Field(() => GraphQLJSONObject, { description: "The user's qubicle block without the PIN." }) raw!: Record<
    string,
    unknown
  >;
}

@ObjectType({ implements: Node, description: 'A call-center agent (KAZOO Qubicle recipient): a user of an account.' })
export class Recipient {
  @Field(() => ID, { description: 'Global id: `<backend>:<accountId>/<userId>`.' }) id!: string;
  @Field({ description: 'The user id.' }) nativeId!: string;
  @Field({ description: 'KAZOO account of the agent.' }) accountId!: string;
  @Field({ description: "The agent's display name." }) name!: string;
}

@ObjectType({ description: 'Result of one line of setRecipientStatuses.' })
export class SetRecipientStatusResult {
  @Field(() => ID, { description: 'Global recipient id.' }) recipientId!: string;
  @Field(() => String, { nullable: true, description: 'The queue, or null for the global status.' }) queueId!:
    string | null;
  @Field(() => RecipientStatusValueEnum, { description: 'The status that was asked for.' })
  status!: RecipientStatusValueEnum;
  @Field({ description: 'The backend accepted it.' }) ok!: boolean;
  @Field(() => String, { nullable: true, description: "The backend's word when not ok." }) error!: string | null;
}

@ObjectType({ implements: Node, description: 'A KAZOO Blackhole websocket session.' })
export class WebsocketSession {
  @Field(() => ID, { description: 'Global id: `<backend>:<accountId>/<session id>`.' }) id!: string;
  @Field({ description: 'Blackhole session id ("<ip>:<port>").' }) nativeId!: string;
  @Field({ description: 'KAZOO account of the session.' }) accountId!: string;
  @Field(() => [String], { description: 'Bindings the client subscribed to, e.g. "call.CHANNEL_CREATE.*".' })
  bindings!: string[];
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the client connected.' })
  connectedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Client address.' }) source!: string | null;
  @Field(() => String, { nullable: true, description: 'Blackhole server the client is connected to.' }) destination!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Name the client gave, if any.' }) name!: string | null;
}

@ObjectType({ description: 'One group of the Blackhole binding catalogue.' })
export class WebsocketBindingGroup {
  @Field({ description: 'e.g. "call", "object", "qubicle".' }) category!: string;
  @Field(() => [String], { description: 'Binding templates such as "call.CHANNEL_CREATE.{CALL_ID}".' })
  bindings!: string[];
}
