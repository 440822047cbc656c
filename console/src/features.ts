/**
 * Optional parts of the graph, found by introspection so the console works on gateways with and
 * without them: Channel.quality (its numeric fields become the selection) and the
 * Subscription.channelQuality stream.
 */
import type { Gql } from './client';
import { TYPE_FIELDS } from './operations';

interface TypeRef {
  kind: string;
  name: string | null;
  ofType?: { name: string | null } | null;
}
interface Fields {
  __type: { fields: Array<{ name: string; type: TypeRef }> | null } | null;
}

const NUMERIC = new Set(['Float', 'Int']);
const typeName = (t: TypeRef) => t.name ?? t.ofType?.name ?? null;

/** The quality sub-selection (e.g. "mos jitterMs"), or null when Channel has no quality field. */
export async function qualitySelection(gql: Gql): Promise<string | null> {
  const channel = await gql.query<Fields>(TYPE_FIELDS, { name: 'Channel' });
  const field = channel.data?.__type?.fields?.find((f) => f.name === 'quality');
  const qualityType = field && typeName(field.type);
  if (!qualityType) return null;
  const q = await gql.query<Fields>(TYPE_FIELDS, { name: qualityType });
  const numeric = (q.data?.__type?.fields ?? []).filter((f) => NUMERIC.has(typeName(f.type) ?? '')).map((f) => f.name);
  return numeric.length ? numeric.join(' ') : null;
}

/** Does this gateway have Subscription.channelQuality (docs/quality.md)? */
export async function hasQualityStream(gql: Gql): Promise<boolean> {
  const sub = await gql.query<Fields>(TYPE_FIELDS, { name: 'Subscription' });
  return (sub.data?.__type?.fields ?? []).some((f) => f.name === 'channelQuality');
}

/** What the page found: the Channel.quality selection and whether the quality stream exists. */
export interface Features {
  quality: string | null;
  qualityStream: boolean;
}

export async function detectFeatures(gql: Gql): Promise<Features> {
  const [quality, qualityStream] = await Promise.all([
    qualitySelection(gql).catch(() => null),
    hasQualityStream(gql).catch(() => false),
  ]);
  return { quality, qualityStream };
}
