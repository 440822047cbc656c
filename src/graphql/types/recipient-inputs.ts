import { Field, ID, InputType } from 'type-graphql';
import { RecipientStatusValueEnum, WiretapModeEnum } from './recipient';

@InputType({ description: 'Set an agent READY or AWAY, globally or in one queue.' })
export class SetRecipientStatusInput {
  @Field(() => ID, { description: 'Global recipient id.' }) id!: string;
  @Field(() => RecipientStatusValueEnum, { description: 'The status to set.' }) status!: RecipientStatusValueEnum;
  @Field({ nullable: true, description: 'Only this queue (32 hex); the global status when absent.' }) queueId?: string;
}

@InputType({ description: 'A supervisor monitors an agent.' })
export class MonitorRecipientInput {
  @Field(() => ID, { description: 'Global id of the supervisor (a recipient).' }) id!: string;
  @Field(() => ID, { description: 'Global id of the agent to monitor.' }) target!: string;
  @Field(() => WiretapModeEnum, { nullable: true, description: 'Default EAVESDROP.' }) mode?: WiretapModeEnum;
}

@InputType({ description: 'Set several agents (and queues) at once.' })
export class SetRecipientStatusesInput {
  @Field(() => [SetRecipientStatusInput], { description: 'One line per agent (and queue); each gets its own result.' })
  items!: SetRecipientStatusInput[];
}
