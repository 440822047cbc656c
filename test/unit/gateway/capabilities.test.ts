import { channelCapabilities } from '../../../src/domain/capabilities';
import type { Channel } from '../../../src/domain/channel';

function channel(p: Partial<Channel>): Channel {
  return {
    backend: 'pbx1',
    backendKind: 'ari',
    nativeId: '1.1',
    name: 'PJSIP/alice-00000001',
    state: 'UP',
    rawState: 'Up',
    caller: { name: '', number: '' },
    connected: { name: '', number: '' },
    accountCode: '',
    dialplan: { context: 'default', exten: 's', priority: 1, appName: 'Stasis', appData: 'patchbay' },
    createdAt: new Date(0),
    language: 'en',
    protocolId: '',
    variables: {},
    ...p,
  };
}

describe('channel capabilities (docs/wire/ari.md §3.2)', () => {
  it('a channel outside Stasis can only be hung up, read and snooped', () => {
    const c = channel({
      name: 'Local/wait@ari-test-00000000;1',
      dialplan: { context: 'ari-test', exten: 'wait', priority: 2, appName: 'Wait', appData: '3600' },
    });
    expect(channelCapabilities(c)).toEqual(['HANGUP', 'GET_VARIABLE', 'SNOOP']);
  });

  it('an answered PJSIP channel in Stasis accepts media and state operations', () => {
    const caps = channelCapabilities(channel({}));
    expect(caps).toEqual(
      expect.arrayContaining([
        'ANSWER',
        'PLAY_MEDIA',
        'HOLD',
        'MUTE',
        'SEND_DTMF',
        'RTP_STATS',
        'RECORD',
        'SET_VARIABLE',
      ]),
    );
    expect(caps).not.toContain('DIAL');
  });

  it('a Down channel in Stasis may be dialed but not answered or played to (412)', () => {
    const caps = channelCapabilities(channel({ state: 'DOWN', rawState: 'Down' }));
    expect(caps).toContain('DIAL');
    expect(caps).not.toContain('ANSWER');
    expect(caps).not.toContain('PLAY_MEDIA');
    expect(channelCapabilities(channel({ state: 'RINGING' }))).not.toContain('ANSWER');
    expect(channelCapabilities(channel({ state: 'RING' }))).toContain('ANSWER');
  });

  it('KAZOO channels offer the KAZOO actions; TRANSFER only once bridged', () => {
    const kazoo = { accountId: 'a'.repeat(32) };
    expect(channelCapabilities(channel({ backendKind: 'kazoo', kazoo }))).toEqual([
      'HANGUP',
      'BREAK',
      'SEND_TO_CALLFLOW',
      'INTERCEPT',
      'RUN_METAFLOW',
    ]);
    expect(
      channelCapabilities(channel({ backendKind: 'kazoo', kazoo: { ...kazoo, otherLegCallId: 'leg-b' } })),
    ).toEqual(['HANGUP', 'TRANSFER', 'BREAK', 'SEND_TO_CALLFLOW', 'INTERCEPT', 'RUN_METAFLOW']);
  });
});
