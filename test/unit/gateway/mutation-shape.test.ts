/**
 * DESIGN.md "Public API conventions": every mutation takes one `input` and returns a non-null
 * payload type; `actionCursor` lives on payloads, never on the entity types.
 */
import 'reflect-metadata';
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isNonNullType,
  isObjectType,
  type GraphQLSchema,
} from 'graphql';
import { getSchema } from '../../../src/graphql/schema';

let schema: GraphQLSchema;

beforeAll(async () => {
  schema = await getSchema();
});

const capitalised = (name: string) => name[0].toUpperCase() + name.slice(1);

describe('mutation shape', () => {
  it('every mutation takes exactly `input: <Name>Input!` and returns `<Name>Payload!`', () => {
    const wrong: string[] = [];
    for (const field of Object.values(schema.getMutationType()!.getFields())) {
      const name = capitalised(field.name);
      const args = field.args.map((a) => `${a.name}: ${String(a.type)}`);
      if (args.join() !== `input: ${name}Input!`) wrong.push(`${field.name}(${args.join(', ')})`);
      if (String(field.type) !== `${name}Payload!`) wrong.push(`${field.name}: ${String(field.type)}`);
      const input = getNamedType(field.args[0]?.type);
      if (input && !isInputObjectType(input)) wrong.push(`${field.name} input is not an input object`);
    }
    expect(wrong).toEqual([]);
    expect(Object.keys(schema.getMutationType()!.getFields()).length).toBeGreaterThanOrEqual(41);
  });

  it('actionCursor is on payloads only, and a String! there', () => {
    const holders: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      const f = type.getFields().actionCursor;
      if (!f) continue;
      holders.push(type.name);
      expect([type.name, isNonNullType(f.type) && String(getNullableType(f.type))]).toEqual([type.name, 'String']);
    }
    expect(holders.filter((n) => !n.endsWith('Payload'))).toEqual([]);
    expect(holders).toEqual(
      expect.arrayContaining([
        'OriginatePayload',
        'CreateChannelPayload',
        'PlayMediaPayload',
        'TransferChannelPayload',
        'MonitorRecipientPayload',
      ]),
    );
  });

  it('hangupChannel and stopPlayback name what a cache evicts; batch results stay per item', () => {
    const fields = (name: string) => {
      const t = schema.getType(name);
      if (!isObjectType(t)) throw new Error(`${name} is not an object type`);
      return Object.fromEntries(Object.values(t.getFields()).map((f) => [f.name, String(f.type)]));
    };
    expect(fields('HangupChannelPayload')).toEqual({ hungUpChannelId: 'ID!', channel: 'Channel' });
    expect(fields('StopPlaybackPayload')).toEqual({ stoppedPlaybackId: 'ID!' });
    expect(fields('SetRecipientStatusesPayload')).toEqual({ results: '[SetRecipientStatusResult!]!' });
    expect(fields('OriginatePayload')).toEqual({ channel: 'Channel!', actionCursor: 'String!' });
    expect(fields('AnswerChannelPayload')).toEqual({ channel: 'Channel' });
  });
});
