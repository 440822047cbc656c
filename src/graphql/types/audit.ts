import { Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLJSON } from 'graphql-scalars';
import { RoleEnum } from './enums';
import { PageInfo } from './page-info';

@ObjectType({ description: 'One mutation as it was carried out.' })
export class AuditEntry {
  @Field(() => ID, { description: 'Id of this audit entry (unique, never reused).' }) id!: string;
  @Field(() => GraphQLDateTime, { description: 'When the mutation was carried out (UTC).' }) at!: Date;
  @Field({ description: 'API key id of the caller.' }) principalId!: string;
  @Field({ description: "The caller's API key name." }) principalName!: string;
  @Field(() => RoleEnum, { description: "The caller's role at the time." }) role!: RoleEnum;
  @Field({ description: 'Mutation name, e.g. "hangupChannel".' }) operation!: string;
  @Field(() => ID, { nullable: true, description: 'Global id (or backend) acted on.' }) target!: string | null;
  @Field(() => String, { nullable: true, description: 'Backend acted on, when there was one.' }) backend!:
    string | null;
  @Field(() => String, { nullable: true, description: 'KAZOO account acted on, when there was one.' }) accountId!:
    string | null;
  @Field(() => GraphQLJSON, { description: 'Arguments as given, secrets removed.' }) arguments!: unknown;
  @Field({ description: '"OK" or the error code.' }) resultCode!: string;
  @Field(() => Int, { nullable: true, description: 'HTTP status the backend answered with, when it failed.' })
  backendStatus!: number | null;
  @Field(() => Int, { description: 'How long the mutation took, in milliseconds.' }) durationMs!: number;
}

@ObjectType({ description: 'An audit entry in a page of the audit log.' })
export class AuditEdge {
  @Field({
    description: 'Opaque position in the audit log (never parse it); pass as `after` to continue after this entry.',
  })
  cursor!: string;
  @Field(() => AuditEntry, { description: 'The entry.' }) node!: AuditEntry;
}

@ObjectType({ description: 'A page of the audit log, oldest first: the same connection shape as `events`.' })
export class AuditConnection {
  @Field(() => [AuditEdge], { description: 'The entries of this page, oldest first.' }) edges!: AuditEdge[];
  @Field(() => PageInfo, { description: 'Where this page ends and whether more follow.' }) pageInfo!: PageInfo;
}

@InputType({ description: 'Audit log filter; all given conditions must hold.' })
export class AuditFilterInput {
  @Field({ nullable: true, description: 'API key id.' }) principalId?: string;
  @Field({ nullable: true, description: 'Mutation name, e.g. "hangupChannel".' }) operation?: string;
  @Field({ nullable: true, description: 'Backend acted on.' }) backend?: string;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Inclusive.' }) since?: Date;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Exclusive.' }) until?: Date;
}

@ObjectType({ description: 'The caller: its API key and what it may reach.' })
export class Me {
  @Field({ description: 'API key id.' }) id!: string;
  @Field({ description: 'API key name.' }) name!: string;
  @Field(() => RoleEnum, { description: 'What the key may do.' }) role!: RoleEnum;
  @Field({ description: 'Reaches every backend and account.' }) allScope!: boolean;
  @Field(() => [String], { description: 'KAZOO accounts the key reaches (empty with allScope).' })
  accountIds!: string[];
  @Field(() => [String], { description: 'Backends the key reaches (empty with allScope).' }) backends!: string[];
  @Field(() => ID, { nullable: true, description: 'For AGENT keys: the recipient it acts as.' }) recipientId!:
    string | null;
}
