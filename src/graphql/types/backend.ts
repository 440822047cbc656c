import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { BackendKindEnum } from './enums';
import { Node } from './node';

@ObjectType({ description: "Health of a backend's event stream.", simpleResolvers: true })
export class BackendHealth {
  @Field({ description: 'The event socket is open now.' })
  connected!: boolean;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the last event arrived.' })
  lastEventAt!: Date | null;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the event socket last connected.' })
  lastConnectedAt!: Date | null;

  @Field(() => Int, { description: 'Reconnections since start.' })
  reconnects!: number;

  @Field(() => String, { nullable: true, description: 'Last connection problem, if any.' })
  lastError!: string | null;
}

@ObjectType({ description: "This instance's ingest of a backend's events.", simpleResolvers: true })
export class BackendIngest {
  @Field({
    description: "This instance holds the lease and journals the backend's events (exactly one instance does).",
  })
  leader!: boolean;

  @Field(() => Int, { description: 'Events journaled by this instance since start.' })
  journaled!: number;

  @Field(() => Int, { description: 'Reconciliations (after each (re)connect) since start.' })
  reconciliations!: number;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the last reconciliation finished.' })
  lastReconciledAt!: Date | null;

  @Field({ description: 'Queries are answered from the live view (no backend request) right now.' })
  liveView!: boolean;
}

@ObjectType({
  implements: Node,
  description: 'A telephony server patchbay fronts, as named in config.',
  simpleResolvers: true,
})
export class Backend {
  @Field(() => ID, {
    description: 'Global id of the backend: its name (unique in config), so clients can cache it by id.',
  })
  id!: string;

  @Field({ description: 'Name from config; prefixes global ids.' })
  name!: string;

  @Field(() => BackendKindEnum, { description: 'What kind of server it is.' })
  kind!: BackendKindEnum;

  @Field({ description: 'Base URL, without credentials.' })
  url!: string;

  @Field(() => BackendHealth, { description: "Health of the backend's event stream." })
  health!: BackendHealth;

  @Field(() => BackendIngest, {
    nullable: true,
    description: "This instance's ingest of the backend's events (null when ingest is off).",
  })
  ingest!: BackendIngest | null;
}
