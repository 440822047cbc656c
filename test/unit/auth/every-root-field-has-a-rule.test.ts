/**
 * Every query, mutation and subscription of the emitted schema declares who may use it
 * (type-graphql @Authorized). A new root field without a rule fails here.
 */
import { getMetadataStorage } from 'type-graphql';
import { getSchema } from '../../../src/graphql/schema';
import { auditMutations } from '../../../src/graphql/audit-middleware';

describe('authorization rules', () => {
  it('every root field of the emitted schema has an @Authorized rule with roles', async () => {
    const schema = await getSchema();
    const storage = getMetadataStorage();
    const rules = new Map(storage.authorizedFields.map((a) => [`${a.target.name}.${a.fieldName}`, a.roles]));
    const missing: string[] = [];
    const declared = [...storage.queries, ...storage.mutations, ...storage.subscriptions];
    for (const [rootName, root] of [
      ['Query', schema.getQueryType()],
      ['Mutation', schema.getMutationType()],
      ['Subscription', schema.getSubscriptionType()],
    ] as const) {
      for (const fieldName of Object.keys(root!.getFields())) {
        const resolver = declared.find((r) => r.schemaName === fieldName);
        const roles = resolver && rules.get(`${resolver.target.name}.${resolver.methodName}`);
        if (!roles || roles.length === 0) missing.push(`${rootName}.${fieldName}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every mutation is audited (auditMutations middleware on each)', async () => {
    const schema = await getSchema();
    const storage = getMetadataStorage();
    const unaudited = Object.keys(schema.getMutationType()!.getFields()).filter((name) => {
      const resolver = storage.mutations.find((r) => r.schemaName === name);
      const uses = storage.middlewares.filter(
        (m) => resolver && m.target === resolver.target && m.fieldName === resolver.methodName,
      );
      return !uses.some((m) => m.middlewares.includes(auditMutations));
    });
    expect(unaudited).toEqual([]);
  });
});
