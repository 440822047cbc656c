import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';

@ObjectType({ description: 'A running subscription on a graphql-ws connection.' })
export class GatewaySubscription {
  @Field({ description: 'The client\'s subscription id.' }) id!: string;
  @Field(() => String, { nullable: true }) operationName!: string | null;
  @Field({ description: 'The document (first 2000 characters).' }) query!: string;
  @Field(() => GraphQLDateTime) startedAt!: Date;
}

@ObjectType({ description: 'An open graphql-ws connection to this gateway instance.' })
export class GatewaySession {
  @Field(() => ID) id!: string;
  @Field({ description: 'The gateway instance holding the connection.' }) instanceId!: string;
  @Field(() => GraphQLDateTime) connectedAt!: Date;
  @Field(() => String, { nullable: true }) remoteAddress!: string | null;
  @Field(() => String, { nullable: true }) userAgent!: string | null;
  @Field(() => [GatewaySubscription]) subscriptions!: GatewaySubscription[];
}
