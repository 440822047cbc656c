/**
 * Mutation inputs and payloads (DESIGN.md "Public API conventions": one `input`, one payload).
 * Most mutations differ only in their name and words, so small factories make the shared shapes
 * instead of forty near-identical classes; each call registers one named GraphQL type.
 */
import { Field, ID, InputType, ObjectType } from 'type-graphql';
import type {
  Channel as DomainChannel,
  LiveRecording as DomainRecording,
  Playback as DomainPlayback,
} from '../../domain/channel';
import type { Recipient as DomainRecipient } from '../../domain/recipient';
import { Channel } from './channel';
import { MuteDirectionEnum } from './enums';
import { LiveRecording, Playback } from './media';
import { Recipient } from './recipient';

const ACTION_CURSOR =
  'The journal cursor taken just before the backend was asked: subscribe with `after:` it to see the first event of what this mutation started.';

export const CHANNEL_ID = 'Global channel id `<backend>:<nativeId>`.';
export const RECIPIENT_ID = 'Global recipient id `<backend>:<accountId>/<userId>`.';
export const PLAYBACK_ID = 'Global playback id `<backend>:<nativeId>`.';

/** What mutations that start something return besides the entity. */
export interface WithCursor {
  actionCursor: string;
}

/** `{ id }` inputs: the mutation needs nothing but the entity it acts on. */
export function idInput(name: string, description: string, idDescription: string) {
  @InputType(name, { description })
  class IdInput {
    @Field(() => ID, { description: idDescription }) id!: string;
  }
  return IdInput;
}

/** muteChannel and unmuteChannel take the same input. */
export function muteInput(name: string, description: string) {
  @InputType(name, { description })
  class MuteInput {
    @Field(() => ID, { description: CHANNEL_ID }) id!: string;
    @Field(() => MuteDirectionEnum, {
      defaultValue: MuteDirectionEnum.BOTH,
      description: 'Which audio: IN, OUT or BOTH (default).',
    })
    direction!: MuteDirectionEnum;
  }
  return MuteInput;
}

function addActionCursor(target: object): void {
  Field(() => String, { description: ACTION_CURSOR })(target, 'actionCursor');
}

/**
 * `{ channel }`: the channel as the backend left it. `created` channels are never null;
 * re-read ones are null when the channel is gone. `actionCursor` where the action starts events.
 */
export function channelPayload(
  name: string,
  description: string,
  opts: { created?: boolean; actionCursor?: boolean } = {},
) {
  @ObjectType(name, { description })
  class ChannelPayload {
    @Field(() => Channel, {
      nullable: !opts.created,
      description: opts.created
        ? 'The new channel as the backend created it.'
        : 'The channel re-read after the action; null when it is gone.',
    })
    channel!: DomainChannel | null;

    actionCursor?: string;
  }
  if (opts.actionCursor) addActionCursor(ChannelPayload.prototype);
  return ChannelPayload;
}

/** `{ recipient }`: the agent re-read after the action (null when unknown). */
export function recipientPayload(name: string, description: string, opts: { actionCursor?: boolean } = {}) {
  @ObjectType(name, { description })
  class RecipientPayload {
    @Field(() => Recipient, { nullable: true, description: 'The agent re-read after the action; null when unknown.' })
    recipient!: DomainRecipient | null;

    actionCursor?: string;
  }
  if (opts.actionCursor) addActionCursor(RecipientPayload.prototype);
  return RecipientPayload;
}

const lower = (name: string) => name[0].toLowerCase() + name.slice(1);

/** An id-only channel action: `<Name>Input { id }` and `<Name>Payload { channel }`. */
export function channelIdAction(name: string, what: string) {
  return [
    idInput(`${name}Input`, what, CHANNEL_ID),
    channelPayload(`${name}Payload`, `The channel after ${lower(name)}.`),
  ] as const;
}

/** An id-only agent action: `<Name>Input { id }` and `<Name>Payload { recipient }`. */
export function recipientIdAction(name: string, what: string) {
  return [
    idInput(`${name}Input`, what, RECIPIENT_ID),
    recipientPayload(`${name}Payload`, `The agent after ${lower(name)}.`),
  ] as const;
}

@ObjectType({ description: 'What playMedia started.' })
export class PlayMediaPayload {
  @Field(() => Playback, { description: 'The playback as the backend created it (state QUEUED at first).' })
  playback!: DomainPlayback;
  @Field({ description: ACTION_CURSOR }) actionCursor!: string;
}

@ObjectType({ description: 'The playback after controlPlayback.' })
export class ControlPlaybackPayload {
  @Field(() => Playback, {
    nullable: true,
    description: 'The playback re-read after the operation; null once it finished.',
  })
  playback!: DomainPlayback | null;
}

@ObjectType({ description: 'What a cache evicts after stopPlayback.' })
export class StopPlaybackPayload {
  @Field(() => ID, { description: 'Global id of the stopped playback: evict it from a client cache.' })
  stoppedPlaybackId!: string;
}

@ObjectType({ description: 'What recordChannel started.' })
export class RecordChannelPayload {
  @Field(() => LiveRecording, { description: 'The recording as the backend created it (state QUEUED at first).' })
  recording!: DomainRecording;
  @Field({ description: ACTION_CURSOR }) actionCursor!: string;
}

@ObjectType({ description: 'What hangupChannel leaves: the id to evict and the last snapshot.' })
export class HangupChannelPayload {
  @Field(() => ID, { description: 'Global id of the hung-up channel: evict it from a client cache.' })
  hungUpChannelId!: string;
  @Field(() => Channel, {
    nullable: true,
    description: 'The channel as last seen before the hangup; null when it was not known.',
  })
  channel!: DomainChannel | null;
}
