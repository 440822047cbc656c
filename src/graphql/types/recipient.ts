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
});

export enum WiretapModeEnum {
  EAVESDROP = 'eavesdrop',
  WHISPER = 'whisper',
  BARGE = 'barge',
}
registerEnumType(WiretapModeEnum, { name: 'WiretapMode', description: 'How a supervisor monitors: listen, talk to the agent only, or join.' });

export enum RecipientStatusValueEnum {
  READY = 'ready',
  AWAY = 'away',
}
registerEnumType(RecipientStatusValueEnum, { name: 'RecipientStatusValue', description: 'A status an agent can be set to.' });

@ObjectType({ description: 'Availability in one queue.' })
export class QueueAvailability {
  @Field() queueId!: string;
  @Field() available!: boolean;
}

@ObjectType({ description: 'A queue call offered to or handled by an agent.' })
export class RecipientCall {
  @Field(() => String, { nullable: true }) queueId!: string | null;
  @Field(() => String, { nullable: true, description: 'Queue session (call) id.' }) sessionId!: string | null;
  @Field(() => String, { nullable: true }) callerIdName!: string | null;
  @Field(() => String, { nullable: true }) callerIdNumber!: string | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the caller entered the queue.' }) queueEnterTime!: Date | null;
}

@ObjectType({ description: "An agent's counters since login." })
export class RecipientStats {
  @Field(() => Int) totalCalls!: number;
  @Field(() => Int, { nullable: true }) offeredCalls!: number | null;
  @Field(() => Int) missedCalls!: number;
  @Field(() => Float) avgCallTimeSeconds!: number;
  @Field(() => GraphQLDateTime, { nullable: true }) loginTime!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) lastActionTime!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true }) lastHandledTime!: Date | null;
}

@ObjectType({ description: "An agent's live state. A logged-out agent has loggedIn false, availabilityState NOT_LOGGED_IN and nothing else." })
export class RecipientStatus {
  @Field({ description: 'false when Qubicle answers "not_logged_in".' }) loggedIn!: boolean;
  @Field() available!: boolean;
  @Field(() => AvailabilityStateEnum) availabilityState!: AvailabilityStateEnum;
  @Field({ description: 'State exactly as the backend said it, e.g. "Wrapup-Time".' }) rawAvailabilityState!: string;
  @Field(() => [QueueAvailability]) queueAvailability!: QueueAvailability[];
  @Field(() => RecipientCall, { nullable: true }) offeredCall!: RecipientCall | null;
  @Field(() => RecipientCall, { nullable: true }) handlingCall!: RecipientCall | null;
  @Field(() => ID, { nullable: true, description: 'Global id of the agent this one is monitoring.' }) wiretappingRecipient!: string | null;
  @Field(() => WiretapModeEnum, { nullable: true }) wiretapMode!: WiretapModeEnum | null;
  @Field(() => Int, { description: 'Seconds of wrap-up left; 0 outside wrap-up.' }) wrapupTimeSeconds!: number;
  @Field(() => RecipientStats, { nullable: true }) stats!: RecipientStats | null;
  @Field(() => String, { nullable: true, description: 'Node the agent process runs on.' }) node!: string | null;
}

@ObjectType({ description: 'The parts of the user document that matter to the call center (the login PIN is never shown).' })
export class RecipientConfig {
  @Field(() => String, { nullable: true }) firstName!: string | null;
  @Field(() => String, { nullable: true }) lastName!: string | null;
  @Field(() => String, { nullable: true }) username!: string | null;
  @Field(() => String, { nullable: true }) email!: string | null;
  @Field(() => String, { nullable: true }) presenceId!: string | null;
  @Field({ description: 'Qubicle enabled for this user.' }) enabled!: boolean;
  @Field(() => Boolean, { nullable: true }) offering!: boolean | null;
  @Field() hasPin!: boolean;
  @Field(() => GraphQLJSONObject, { description: "The user's qubicle block without the PIN." }) raw!: Record<string, unknown>;
}

@ObjectType({ implements: Node, description: 'A call-center agent (KAZOO Qubicle recipient): a user of an account.' })
export class Recipient {
  @Field(() => ID, { description: 'Global id: `<backend>:<accountId>/<userId>`.' }) id!: string;
  @Field({ description: 'The user id.' }) nativeId!: string;
  @Field() accountId!: string;
  @Field() name!: string;
}

@ObjectType({ description: 'Result of one line of setRecipientStatuses.' })
export class SetRecipientStatusResult {
  @Field(() => ID, { description: 'Global recipient id.' }) recipientId!: string;
  @Field(() => String, { nullable: true, description: 'The queue, or null for the global status.' }) queueId!: string | null;
  @Field(() => RecipientStatusValueEnum) status!: RecipientStatusValueEnum;
  @Field() ok!: boolean;
  @Field(() => String, { nullable: true, description: "The backend's word when not ok." }) error!: string | null;
}

@ObjectType({ implements: Node, description: 'A KAZOO Blackhole websocket session.' })
export class WebsocketSession {
  @Field(() => ID, { description: 'Global id: `<backend>:<accountId>/<session id>`.' }) id!: string;
  @Field({ description: 'Blackhole session id ("<ip>:<port>").' }) nativeId!: string;
  @Field() accountId!: string;
  @Field(() => [String], { description: 'Bindings the client subscribed to, e.g. "call.CHANNEL_CREATE.*".' }) bindings!: string[];
  @Field(() => GraphQLDateTime, { nullable: true }) connectedAt!: Date | null;
  @Field(() => String, { nullable: true, description: 'Client address.' }) source!: string | null;
  @Field(() => String, { nullable: true, description: 'Blackhole server the client is connected to.' }) destination!: string | null;
  @Field(() => String, { nullable: true }) name!: string | null;
}

@ObjectType({ description: 'One group of the Blackhole binding catalogue.' })
export class WebsocketBindingGroup {
  @Field({ description: 'e.g. "call", "object", "qubicle".' }) category!: string;
  @Field(() => [String], { description: 'Binding templates such as "call.CHANNEL_CREATE.{CALL_ID}".' }) bindings!: string[];
}
