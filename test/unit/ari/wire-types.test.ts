import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { API_DOCS_DIR, WIRE_FILE, generateWireSource } from '../../../scripts/gen-ari-wire';
import { ARI_EVENT_TYPES, ARI_WIRE_MODELS } from '../../../src/backends/ari/wire.generated';
import { AriClient, CHANNEL_OPERATION_METHODS } from '../../../src/backends/ari/client';

type Prop = { type: string; required?: boolean };
type Doc = {
  models?: Record<string, { properties?: Record<string, Prop>; subTypes?: string[] }>;
  apis: Array<{ operations: Array<{ nickname: string }> }>;
};

const docsDir = resolve(__dirname, '../../../src/simulators/ari/api-docs');
const load = (f: string): Doc => JSON.parse(readFileSync(join(docsDir, f), 'utf8')) as Doc;

describe('ARI wire types vs the Swagger api-docs in src/simulators/ari/api-docs', () => {
  it('reads the in-repo copy', () => {
    expect(API_DOCS_DIR).toBe(docsDir);
  });

  it('wire.generated.ts is exactly what the generator makes from the JSON (no drift)', () => {
    expect(readFileSync(WIRE_FILE, 'utf8')).toBe(generateWireSource(docsDir));
  });

  it('the runtime model table matches every model: fields, types, required flags', () => {
    const files = readdirSync(docsDir).filter((f) => f.endsWith('.json') && f !== 'resources.json');
    let count = 0;
    for (const f of files) {
      for (const [name, model] of Object.entries(load(f).models ?? {})) {
        count++;
        const expected = Object.fromEntries(
          Object.entries(model.properties ?? {}).map(([k, p]) => [k, { type: p.type, required: p.required === true }]),
        );
        expect({ name, file: ARI_WIRE_MODELS[name]?.file, fields: ARI_WIRE_MODELS[name]?.fields }).toEqual({
          name,
          file: f,
          fields: expected,
        });
      }
    }
    expect(Object.keys(ARI_WIRE_MODELS)).toHaveLength(count);
  });

  it('covers the models and events the gateway relies on', () => {
    for (const m of [
      'Channel',
      'CallerID',
      'DialplanCEP',
      'RTPstat',
      'Playback',
      'LiveRecording',
      'Variable',
      'Variables',
      'Message',
      'Event',
    ]) {
      expect(ARI_WIRE_MODELS).toHaveProperty(m);
    }
    const events = load('events.json').models!.Event.subTypes!;
    expect([...ARI_EVENT_TYPES].sort()).toEqual([...events].sort());
    for (const e of [
      'StasisStart',
      'StasisEnd',
      'ChannelCreated',
      'ChannelDestroyed',
      'ChannelStateChange',
      'ChannelDialplan',
      'ChannelCallerId',
      'ChannelConnectedLine',
      'ChannelDtmfReceived',
      'ChannelHangupRequest',
      'ChannelVarset',
      'ChannelHold',
      'ChannelUnhold',
      'Dial',
      'PlaybackStarted',
      'PlaybackContinuing',
      'PlaybackFinished',
      'RecordingStarted',
      'RecordingFinished',
      'RecordingFailed',
      'ApplicationReplaced',
      'ApplicationMoveFailed',
    ]) {
      expect(ARI_EVENT_TYPES).toContain(e);
    }
  });

  it('the client has a method for each of the 35 channel operations', () => {
    const nicknames = load('channels.json').apis.flatMap((a) => a.operations.map((o) => o.nickname));
    expect(nicknames).toHaveLength(35);
    expect(Object.keys(CHANNEL_OPERATION_METHODS).sort()).toEqual([...nicknames].sort());
    for (const method of Object.values(CHANNEL_OPERATION_METHODS)) {
      expect(typeof AriClient.prototype[method]).toBe('function');
    }
  });
});
