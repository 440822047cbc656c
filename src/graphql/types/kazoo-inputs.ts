import { Field, ID, InputType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';

export enum TransferTypeEnum {
  BLIND = 'blind',
  ATTENDED = 'attended',
}
registerEnumType(TransferTypeEnum, {
  name: 'TransferType',
  description: 'BLIND hands the call over; ATTENDED consults the target first.',
  valuesConfig: {
    BLIND: { description: 'Hand the call over at once.' },
    ATTENDED: { description: 'Consult the target first.' },
  },
});

export enum TransferLegEnum {
  SELF = 'self',
  BLEG = 'bleg',
}
registerEnumType(TransferLegEnum, {
  name: 'TransferLeg',
  description: 'Which leg is transferred: this channel (SELF) or its bridged peer (BLEG).',
  valuesConfig: {
    SELF: { description: 'This channel.' },
    BLEG: { description: 'Its bridged peer.' },
  },
});

export enum InterceptTargetTypeEnum {
  DEVICE = 'device',
  USER = 'user',
}
registerEnumType(InterceptTargetTypeEnum, {
  name: 'InterceptTargetType',
  description: 'What takes over an intercepted call.',
  valuesConfig: {
    DEVICE: { description: 'A device takes the call.' },
    USER: { description: "A user's devices take the call." },
  },
});

@InputType({ description: 'Transfer a KAZOO call.' })
export class TransferChannelInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ description: 'Extension or number to transfer to.' }) target!: string;
  @Field(() => TransferTypeEnum, { nullable: true, description: 'Default BLIND.' }) type?: TransferTypeEnum;
  @Field(() => TransferLegEnum, { nullable: true, description: 'Default SELF.' }) leg?: TransferLegEnum;
  @Field({ nullable: true, description: 'Music on hold media id played while transferring.' }) moh?: string;
}

@InputType({ description: 'Intercept a KAZOO call to a device or user.' })
export class InterceptChannelInput {
  @Field(() => ID, { description: 'Global id of the call to intercept.' }) id!: string;
  @Field(() => InterceptTargetTypeEnum, { description: 'What takes the call over.' })
  targetType!: InterceptTargetTypeEnum;
  @Field({ description: 'Device or user id (32 hex).' }) targetId!: string;
  @Field({ nullable: true, description: 'Only intercept while the call is not yet bridged.' }) unbridgedOnly?: boolean;
}

@InputType({ description: 'Send a KAZOO call to a callflow.' })
export class SendChannelToCallflowInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field({ description: 'Id of the callflow document (32 hex).' }) callflowId!: string;
}

@InputType({ description: 'Run a metaflow action on a KAZOO call.' })
export class RunMetaflowInput {
  @Field(() => ID, { description: 'Global channel id.' }) id!: string;
  @Field(() => GraphQLJSONObject, { description: 'The metaflow action as KAZOO takes it, e.g. {"module": "hangup"}.' })
  metaflow!: Record<string, unknown>;
}
