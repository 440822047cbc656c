import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';

@ObjectType({ description: 'One mutation as it was carried out.' })
export class AuditEntry {
  @Field({ description: 'Opaque position in the audit log (never parse it); pass as `after` to continue.' }) cursor!: string;
  @Field(() => GraphQLDateTime) at!: Date;
  @Field({ description: 'API key id of the caller.' }) principalId!: string;
  @Field() principalName!: string;
  @Field() role!: string;
  @Field({ description: 'Mutation name, e.g. "hangupChannel".' }) operation!: string;
  @Field(() => ID, { nullable: true, description: 'Global id (or backend) acted on.' }) target!: string | null;
  @Field(() => String, { nullable: true }) backend!: string | null;
  @Field(() => String, { nullable: true }) accountId!: string | null;
  @Field(() => GraphQLJSON, { description: 'Arguments as given, secrets removed.' }) arguments!: unknown;
  @Field({ description: '"OK" or the error code.' }) resultCode!: string;
  @Field(() => Int, { nullable: true, description: 'HTTP status the backend answered with, when it failed.' }) backendStatus!: number | null;
  @Field(() => Int) durationMs!: number;
}

@ObjectType({ description: 'A page of the audit log, oldest first.' })
export class AuditConnection {
  @Field(() => [AuditEntry]) entries!: AuditEntry[];
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true, description: 'Pass as `after` for the next page.' }) endCursor!: string | null;
}

@InputType({ description: 'Audit log filter; all given conditions must hold.' })
export class AuditFilterInput {
  @Field({ nullable: true, description: 'API key id.' }) principalId?: string;
  @Field({ nullable: true }) operation?: string;
  @Field({ nullable: true }) backend?: string;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Inclusive.' }) since?: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Exclusive.' }) until?: Date;
}

@ObjectType({ description: 'The caller: its API key and what it may reach.' })
export class Me {
  @Field({ description: 'API key id.' }) id!: string;
  @Field() name!: string;
  @Field({ description: 'ADMIN, SUPERVISOR, AGENT or VIEWER.' }) role!: string;
  @Field({ description: 'Reaches every backend and account.' }) allScope!: boolean;
  @Field(() => [String]) accountIds!: string[];
  @Field(() => [String]) backends!: string[];
  @Field(() => ID, { nullable: true, description: 'For AGENT keys: the recipient it acts as.' }) recipientId!: string | null;
}
