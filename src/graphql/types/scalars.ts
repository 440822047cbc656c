/** Scalars of our own, for values GraphQL's 32-bit signed Int cannot hold. */
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

const UINT32_MAX = 4_294_967_295;

function toSsrc(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new GraphQLError(`Ssrc must be an integer from 0 to ${UINT32_MAX}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** RTP SSRCs are unsigned 32-bit (RFC 3550 §5.1): half of them do not fit an Int. */
export const SsrcScalar = new GraphQLScalarType({
  name: 'Ssrc',
  description:
    'An RTP synchronisation source identifier (RFC 3550): an unsigned 32-bit integer, 0 to 4294967295, sent as a JSON number.',
  serialize: toSsrc,
  parseValue: toSsrc,
  parseLiteral(ast) {
    if (ast.kind !== Kind.INT) throw new GraphQLError('Ssrc must be an integer literal');
    return toSsrc(Number(ast.value));
  },
});
