/**
 * The pieces of the graphql-ws fan-out: frames prepared once (byte for byte what graphql-ws and
 * ws would send), the document cache, and shared subscriptions delivering to transports.
 */
import {
  GraphQLError,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  parse,
  validate,
  type ExecutionResult,
} from 'graphql';
import { stringifyMessage } from 'graphql-ws';
import WebSocket from 'ws';
import { DocumentCache } from '../../../src/graphql/document-cache';
import { createSharedSubscribe, type SubscriberTransport } from '../../../src/graphql/shared-subscriptions';
import { PreparedNext } from '../../../src/graphql/ws-next-frames';

/** ws's own framing of a server text message (unmasked), as one buffer. */
function wsFrame(text: string): Buffer {
  const Sender = (WebSocket as unknown as { Sender: { frame(data: Buffer, o: object): Buffer[] } }).Sender;
  return Buffer.concat(
    Sender.frame(Buffer.from(text), { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: false }),
  );
}

describe('PreparedNext: one serialisation, one frame per operation id', () => {
  const payloads: Array<[string, ExecutionResult]> = [
    ['small', { data: { a: 1 } }],
    ['over 125 bytes', { data: { text: 'x'.repeat(300), ünïcode: '✓ ☎' } }],
    ['over 64 KiB', { data: { text: 'y'.repeat(70_000) } }],
    ['with errors', { data: null, errors: [{ message: 'no', extensions: { code: 'X' } }] as never }],
  ];
  for (const [name, payload] of payloads) {
    it(`is what graphql-ws and ws would send (${name})`, () => {
      const next = new PreparedNext(JSON.stringify(payload), null);
      for (const id of ['1', 'a "quoted" id', 'ünï-☎', '1']) {
        const text = stringifyMessage({ id, type: 'next' as never, payload } as never);
        const frame = next.frame(id);
        expect(frame.equals(wsFrame(text))).toBe(true);
        expect(PreparedNext.text(frame).toString()).toBe(text);
      }
    });
  }

  it('reuses the frame for a repeated id', () => {
    const next = new PreparedNext('{"data":{}}', 'partial');
    expect(next.frame('1')).toBe(next.frame('1'));
    expect(next.frame('2')).not.toBe(next.frame('1'));
    expect(next.outcome).toBe('partial');
  });
});

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { a: { type: GraphQLString }, b: { type: GraphQLString } } }),
});

describe('DocumentCache', () => {
  it('parses and validates a text once; the next caller gets the same document and text', () => {
    let validations = 0;
    const cache = new DocumentCache(schema, (s, d) => (validations++, validate(s, d)));
    const first = cache.parse('{ a }');
    if (!('document' in first)) throw new Error('parse failed');
    expect(cache.validate(first)).toEqual([]);
    const again = cache.parse(`{ a }`.slice(0));
    if (!('document' in again)) throw new Error('parse failed');
    expect(again.document).toBe(first.document);
    expect(cache.validate(again)).toEqual([]);
    expect(validations).toBe(1);
    expect(cache.intern(String(['{ a }']))).toBe(first.query);
  });

  it('answers syntax errors with GRAPHQL_PARSE_FAILED and keeps no invalid document', () => {
    const cache = new DocumentCache(schema, validate);
    const bad = cache.parse('{ a');
    expect('document' in bad).toBe(false);
    expect((bad as readonly GraphQLError[])[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    const invalid = cache.parse('{ nope }');
    if (!('document' in invalid)) throw new Error('parse failed');
    expect(cache.validate(invalid)).toHaveLength(1);
    expect(cache.size).toBe(0);
  });

  it('drops the least recently used past its limits', () => {
    const cache = new DocumentCache(schema, validate, { maxEntries: 2, maxChars: 1000 });
    const use = (q: string): void => {
      const p = cache.parse(q);
      if ('document' in p) cache.validate(p);
    };
    use('{ a }');
    use('{ b }');
    use('{ a }');
    use('{ a b }');
    expect(cache.size).toBe(2);
    expect((cache.parse('{ a }') as { valid: boolean }).valid).toBe(true);
    expect((cache.parse('{ b }') as { valid: boolean }).valid).toBe(false);
  });
});

/** A subscription source the test pushes into. */
function controllableSource() {
  const waiting: Array<(r: IteratorResult<ExecutionResult>) => void> = [];
  let returned = 0;
  let opened = 0;
  const iterator = (): AsyncIterableIterator<ExecutionResult> => {
    opened++;
    const it: AsyncIterableIterator<ExecutionResult> = {
      next: () => new Promise((resolve) => waiting.push(resolve)),
      return: async () => {
        returned++;
        for (const w of waiting.splice(0)) w({ done: true, value: undefined });
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => it,
    };
    return it;
  };
  return {
    iterator,
    // The root value graphql-js resolves the subscription's field on.
    push: (v: string) => waiting.shift()?.({ done: false, value: { tick: v } as ExecutionResult }),
    end: () => waiting.shift()?.({ done: true, value: undefined }),
    get opened() {
      return opened;
    },
    get returned() {
      return returned;
    },
  };
}

describe('shared subscriptions', () => {
  const src = controllableSource();
  const subSchema = new GraphQLSchema({
    query: new GraphQLObjectType({ name: 'Query', fields: { a: { type: GraphQLString } } }),
    subscription: new GraphQLObjectType({
      name: 'Subscription',
      fields: { tick: { type: GraphQLString, subscribe: () => src.iterator() } },
    }),
  });
  const document = parse('subscription { tick }');
  const flush = () => new Promise((r) => setImmediate(r));

  class Recorder implements SubscriberTransport<string> {
    got: string[] = [];
    backlog = 0;
    send(e: string): number {
      this.got.push(e);
      return this.backlog;
    }
  }

  it('executes once per event, prepares once, and hands every subscriber the same event', async () => {
    const prepared: string[] = [];
    const transports = new Map<object, Recorder>();
    const shared = createSharedSubscribe<string>({
      prepare: (r) => (prepared.push(JSON.stringify(r)), JSON.stringify(r)),
      transportOf: (c) => transports.get(c as object),
      bufferLimit: 3,
    });
    const subscriber = async () => {
      const contextValue = {};
      const t = new Recorder();
      transports.set(contextValue, t);
      const it = (await shared.subscribe({
        schema: subSchema,
        document,
        contextValue,
      })) as AsyncIterableIterator<ExecutionResult>;
      return { t, it, next: it.next() };
    };
    const a = await subscriber();
    const b = await subscriber();
    const slow = await subscriber();
    expect(src.opened).toBe(1);
    expect(shared.stats()).toEqual({ streams: 1, consumers: 3 });

    src.push('one');
    await flush();
    expect(prepared).toEqual(['{"data":{"tick":"one"}}']);
    expect(a.t.got).toEqual(prepared);
    expect(b.t.got).toEqual(prepared);

    // A subscriber whose transport falls behind is ended with an error; the others go on.
    slow.t.backlog = 4;
    src.push('two');
    await flush();
    await expect(slow.next).rejects.toThrow('subscriber fell 3 events behind; resubscribe');
    expect(shared.stats().consumers).toBe(2);

    // One leaves; the last one leaving stops the source.
    await a.it.return!();
    await expect(a.next).resolves.toEqual({ done: true, value: undefined });
    src.push('three');
    await flush();
    expect(b.t.got).toHaveLength(3);
    expect(a.t.got).toHaveLength(2);
    await b.it.return!();
    expect(src.returned).toBe(1);
    expect(shared.stats()).toEqual({ streams: 0, consumers: 0 });
  });

  it('ends every subscriber when the source ends', async () => {
    const transports = new Map<object, Recorder>();
    const shared = createSharedSubscribe<string>({
      prepare: (r) => JSON.stringify(r),
      transportOf: (c) => transports.get(c as object),
    });
    const contextValue = {};
    transports.set(contextValue, new Recorder());
    const it = (await shared.subscribe({
      schema: subSchema,
      document,
      contextValue,
    })) as AsyncIterableIterator<ExecutionResult>;
    const next = it.next();
    src.end();
    await expect(next).resolves.toEqual({ done: true, value: undefined });
    expect(shared.stats().streams).toBe(0);
  });

  it('runs a subscription alone when its subscriber has no transport', async () => {
    const shared = createSharedSubscribe<string>({ prepare: (r) => JSON.stringify(r), transportOf: () => undefined });
    const before = src.opened;
    const it = (await shared.subscribe({
      schema: subSchema,
      document,
      contextValue: {},
    })) as AsyncIterableIterator<ExecutionResult>;
    expect(src.opened).toBe(before + 1);
    expect(shared.stats().streams).toBe(0);
    const next = it.next();
    src.push('alone');
    await expect(next).resolves.toEqual({ done: false, value: { data: { tick: 'alone' } } });
    await it.return!();
  });
});
