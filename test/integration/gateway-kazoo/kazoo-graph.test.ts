/**
 * End-to-end GraphQL over the KAZOO half of the graph (issue 3, "KAZOO in the same graph"): one
 * gateway with ARI and KAZOO backends, over real HTTP, against the ARI and KAZOO simulators.
 * The cases live in *.cases.ts beside this file; they share this one gateway.
 */
import { channelMutationCases } from './channel-mutation.cases';
import { channelQueryCases } from './channel-query.cases';
import { startKazooGraph, type KazooGraph } from './kazoo-gateway';
import { recipientCases } from './recipient.cases';
import { websocketAndAuthCases } from './websocket-auth.cases';

let g: KazooGraph;
beforeAll(async () => {
  g = await startKazooGraph();
});
afterAll(() => g?.close());

describe('channels: fields, filters, channel(id), batching, partial failure', () => channelQueryCases(() => g));
describe('channel actions on both kinds', () => channelMutationCases(() => g));
describe('recipients', () => recipientCases(() => g));
describe('websocket sessions and KAZOO auth', () => websocketAndAuthCases(() => g));
