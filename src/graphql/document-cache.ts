/**
 * Parsed and validated documents by query text, for graphql-ws. Thousands of dashboards send the
 * same subscription: parsed per subscriber, each kept its own AST (with its token list) for the
 * life of the subscription, about 15 KB apiece, and paid parse + validation again. Only documents
 * that validate are kept (a client sending junk cannot fill the cache), and the cache is bounded
 * by entries and by query text, least recently used first out.
 */
import { GraphQLError, parse, type DocumentNode, type GraphQLSchema } from 'graphql';

export type Validate = (schema: GraphQLSchema, document: DocumentNode) => ReadonlyArray<GraphQLError>;

export interface ParsedDocument {
  /** The query text as first seen: the one copy later subscribers of the same text can keep. */
  readonly query: string;
  readonly document: DocumentNode;
  /** Validated before (a cache hit): validate() has nothing left to do. */
  readonly valid: boolean;
}

export interface DocumentCacheLimits {
  maxEntries: number;
  /** Total query text kept, in characters. */
  maxChars: number;
}

const DEFAULT_LIMITS: DocumentCacheLimits = { maxEntries: 500, maxChars: 2_000_000 };

/**
 * A syntax error as graphql-ws would report it for this operation alone (its own parse throws
 * outside its error handling and closes the socket with 4500).
 */
function syntaxError(e: unknown): GraphQLError {
  const message = e instanceof GraphQLError ? e.message : 'the document could not be parsed (nested too deeply?)';
  return new GraphQLError(message, {
    source: (e as GraphQLError).source,
    positions: (e as GraphQLError).positions,
    extensions: { code: 'GRAPHQL_PARSE_FAILED' },
  });
}

export class DocumentCache {
  private readonly entries = new Map<string, ParsedDocument>();
  private chars = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly validateDocument: Validate,
    private readonly limits: DocumentCacheLimits = DEFAULT_LIMITS,
  ) {}

  /**
   * The document for this text, or its syntax error. Parsing and validating are separate steps
   * so callers keep their order of checks (syntax, then per-operation limits, then validation).
   */
  parse(query: string): ParsedDocument | readonly [GraphQLError] {
    const hit = this.entries.get(query);
    if (hit) {
      // Most recently used last: a Map iterates in insertion order.
      this.entries.delete(query);
      this.entries.set(query, hit);
      return hit;
    }
    try {
      return { query, document: parse(query), valid: false };
    } catch (e) {
      return [syntaxError(e)];
    }
  }

  /** The cached copy of this text when there is one (so equal texts are kept once). */
  intern(query: string): string {
    return this.entries.get(query)?.query ?? query;
  }

  /** Validation errors of a parsed document; one that validates is kept for the next caller. */
  validate(parsed: ParsedDocument): ReadonlyArray<GraphQLError> {
    if (parsed.valid) return [];
    const errors = this.validateDocument(this.schema, parsed.document);
    // One huge document is not worth emptying the cache for.
    if (errors.length > 0 || parsed.query.length > this.limits.maxChars / 10 || this.entries.has(parsed.query))
      return errors;
    this.entries.set(parsed.query, { query: parsed.query, document: parsed.document, valid: true });
    this.chars += parsed.query.length;
    this.evict();
    return errors;
  }

  get size(): number {
    return this.entries.size;
  }

  private evict(): void {
    for (const [query] of this.entries) {
      if (this.entries.size <= this.limits.maxEntries && this.chars <= this.limits.maxChars) return;
      this.entries.delete(query);
      this.chars -= query.length;
    }
  }
}
