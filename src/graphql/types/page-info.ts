import { Field, ObjectType } from 'type-graphql';

/** One paging state for every history connection (events, auditLog). */
@ObjectType({ description: 'Paging state of a history connection.' })
export class PageInfo {
  @Field({ description: 'More entries follow this page.' }) hasNextPage!: boolean;
  @Field(() => String, {
    nullable: true,
    description:
      'Opaque cursor of the last edge (or the `after` given, on an empty page): pass as `after` for the next page.',
  })
  endCursor!: string | null;
}
