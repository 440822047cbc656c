import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';

@ObjectType({ description: 'A running subscription on a graphql-ws connection.' })
export class GatewaySubscription {
  @Field({ description: "The client's subscription id." }) id!: string;
  @Field(() => String, { nullable: true, description: 'Operation name, when given.' }) operationName!: string | null;
  @Field({ description: 'The document (first 2000 characters).' }) query!: string;
  @Field(() => GraphQLDateTime, { description: 'When it started.' }) startedAt!: Date;
}

@ObjectType({ description: 'An open graphql-ws connection to this gateway instance.' })
export class GatewaySession {
  @Field(() => ID, { description: 'Id of the graphql-ws connection (this instance only).' }) id!: string;
  @Field({ description: 'The gateway instance holding the connection.' }) instanceId!: string;
  @Field(() => GraphQLDateTime, { description: 'When it connected.' }) connectedAt!: Date;
  @Field(() => String, { nullable: true, description: "The client's address." }) remoteAddress!: string | null;
  @Field(() => String, { nullable: true, description: "The client's User-Agent, when sent." }) userAgent!:
    string | null;
  @Field(() => [GatewaySubscription], { description: 'Its open subscriptions.' }) subscriptions!: GatewaySubscription[];
}
