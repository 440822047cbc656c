import {
  mapChannel,
  mapChannelState,
  mapLiveRecording,
  mapPlayback,
  mapRtpStats,
  parseAriTime,
} from '../../../src/backends/ari/map';
import type * as W from '../../../src/backends/ari/wire.generated';

describe('ARI channel states', () => {
  it.each([
    ['Down', 'DOWN'],
    ['Rsrvd', 'RESERVED'],
    ['Rsrved', 'RESERVED'],
    ['OffHook', 'OFF_HOOK'],
    ['Dialing', 'DIALING'],
    ['Ring', 'RING'],
    ['Ringing', 'RINGING'],
    ['Up', 'UP'],
    ['Busy', 'BUSY'],
    ['Dialing Offhook', 'DIALING_OFFHOOK'],
    ['Pre-ring', 'PRE_RING'],
    ['Mute', 'MUTE'],
    ['Unknown (12)', 'UNKNOWN'],
    ['Unknown', 'UNKNOWN'],
    ['Something new', 'UNKNOWN'],
  ])('%s → %s', (raw, state) => {
    expect(mapChannelState(raw)).toBe(state);
  });
});

describe('ARI timestamps', () => {
  it('parses +0000 with milliseconds', () => {
    expect(parseAriTime('2026-11-23T18:16:45.563+0000').toISOString()).toBe('2026-11-23T18:16:45.563Z');
  });
  it('applies a positive and a negative offset', () => {
    expect(parseAriTime('2015-04-21T13:27:16.702+0400').toISOString()).toBe('2015-04-21T09:27:16.702Z');
    expect(parseAriTime('2015-04-21T13:27:16.702-0530').toISOString()).toBe('2015-04-21T18:57:16.702Z');
  });
  it('accepts Z, +hh:mm and missing fractions', () => {
    expect(parseAriTime('2024-01-01T12:00:00Z').toISOString()).toBe('2024-01-01T12:00:00.000Z');
    expect(parseAriTime('2024-01-01T12:00:00.5+01:00').toISOString()).toBe('2024-01-01T11:00:00.500Z');
  });
  it('rejects garbage', () => {
    expect(() => parseAriTime('yesterday')).toThrow('unparseable ARI timestamp "yesterday"');
    expect(() => parseAriTime('2024-13-45T99:00:00.000+0000')).toThrow();
  });
});

const wireChannel: W.Channel = {
  id: '1795457805.0',
  name: 'Local/wait@ari-test-00000000;1',
  state: 'Rsrvd',
  protocol_id: '',
  caller: { name: 'Alice', number: '+491701234' },
  connected: { name: '', number: '' },
  accountcode: 'acct',
  dialplan: { context: 'ari-test', exten: 'wait', priority: 1, app_name: 'Stasis', app_data: 'test' },
  creationtime: '2026-11-23T18:16:45.563+0000',
  language: 'en',
  channelvars: { UNICASTRTP_LOCAL_PORT: '10046' },
};

describe('mapChannel', () => {
  it('maps every field', () => {
    expect(mapChannel('pbx1', wireChannel)).toEqual({
      backend: 'pbx1',
      backendKind: 'ari',
      nativeId: '1795457805.0',
      name: 'Local/wait@ari-test-00000000;1',
      state: 'RESERVED',
      rawState: 'Rsrvd',
      caller: { name: 'Alice', number: '+491701234' },
      connected: { name: '', number: '' },
      accountCode: 'acct',
      dialplan: { context: 'ari-test', exten: 'wait', priority: 1, appName: 'Stasis', appData: 'test' },
      createdAt: new Date('2026-11-23T18:16:45.563Z'),
      language: 'en',
      protocolId: '',
      variables: { UNICASTRTP_LOCAL_PORT: '10046' },
    });
  });
  it('gives {} variables when channelvars is absent', () => {
    const { channelvars: _drop, ...rest } = wireChannel;
    expect(mapChannel('pbx1', rest).variables).toEqual({});
  });
});

describe('mapPlayback / mapLiveRecording', () => {
  it('maps a playback with and without next_media_uri', () => {
    expect(
      mapPlayback('pbx1', {
        id: 'p1',
        media_uri: 'sound:a',
        next_media_uri: 'sound:b',
        target_uri: 'channel:c1',
        language: 'en',
        state: 'playing',
      }),
    ).toEqual({
      backend: 'pbx1',
      nativeId: 'p1',
      mediaUri: 'sound:a',
      nextMediaUri: 'sound:b',
      targetUri: 'channel:c1',
      language: 'en',
      state: 'PLAYING',
    });
    const done = mapPlayback('pbx1', { id: 'p1', media_uri: 'sound:a', target_uri: 'channel:c1', state: 'done' });
    expect(done.nextMediaUri).toBeNull();
    expect(done.language).toBeNull();
    expect(done.state).toBe('DONE');
    expect(mapPlayback('pbx1', { id: 'p', media_uri: '', target_uri: '', state: 'weird' }).state).toBe('UNKNOWN');
  });
  it('maps a live recording', () => {
    expect(
      mapLiveRecording('pbx1', {
        name: 'r',
        format: 'wav',
        target_uri: 'channel:c1',
        state: 'failed',
        duration: 3,
        cause: 'Cannot record channel while in bridge',
      }),
    ).toEqual({
      backend: 'pbx1',
      name: 'r',
      format: 'wav',
      targetUri: 'channel:c1',
      state: 'FAILED',
      durationSeconds: 3,
      talkingDurationSeconds: null,
      silenceDurationSeconds: null,
      cause: 'Cannot record channel while in bridge',
    });
    expect(mapLiveRecording('pbx1', { name: 'r', format: 'wav', target_uri: 'x', state: 'canceled' }).state).toBe(
      'CANCELED',
    );
  });
});

describe('mapRtpStats', () => {
  it('maps the captured Asterisk 22 body (extra *mes fields ignored, missing doubles null)', () => {
    const wire = {
      txcount: 102,
      rxcount: 592,
      txploss: 0,
      rxploss: 0,
      local_ssrc: 492070657,
      remote_ssrc: 804496958,
      txoctetcount: 11525,
      rxoctetcount: 90976,
      channel_uniqueid: 'sip-out-1',
      txjitter: 0.000375,
      rxjitter: 0.0,
      remote_maxjitter: 0.0025,
      rtt: 0.000152,
      maxrtt: 0.000152,
      minrtt: 0.000152,
      normdevrtt: 0.000152,
      stdevrtt: 0.0,
      txmes: 88,
    } as W.RTPstat;
    const s = mapRtpStats(wire);
    expect(s).toMatchObject({
      channelNativeId: 'sip-out-1',
      txCount: 102,
      rxCount: 592,
      txPacketLoss: 0,
      rxPacketLoss: 0,
      localSsrc: 492070657,
      remoteSsrc: 804496958,
      txOctetCount: 11525,
      rxOctetCount: 90976,
      txJitter: 0.000375,
      rxJitter: 0,
      remoteMaxJitter: 0.0025,
      remoteMinJitter: null,
      localStdevRxPacketLoss: null,
      rtt: 0.000152,
      stdevRtt: 0,
    });
    expect(Object.keys(s)).toHaveLength(32);
    expect(s).not.toHaveProperty('txmes');
  });
});
