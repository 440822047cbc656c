/** playMedia, controlPlayback, stopPlayback, recordChannel. */
import { startHarness, subscribe, waitFor, type Harness } from '../../helpers/gateway-harness';
import { dialplanChannel, downStasisChannel, firstError, stasisChannel } from '../../helpers/channels';

describe('media mutations against the ARI simulator', () => {
  let h: Harness;
  let live: string;
  beforeAll(async () => {
    h = await startHarness();
    live = await stasisChannel(h);
  });
  afterAll(() => h?.close());

  it('playMedia returns a QUEUED playback; PlaybackStarted then PlaybackFinished follow', async () => {
    const client = h.wsClient();
    const sub = subscribe(
      client,
      'subscription($after: String) { channelEvents(filter: { types: [PLAYBACK_STARTED, PLAYBACK_FINISHED] }, after: $after) { __typename channelId ... on PlaybackFinished { playback { nativeId state } } } }',
      { after: h.cursor() },
    );
    const r = await h.gql(
      'mutation($id: ID!) { playMedia(input: { id: $id, media: ["sound:hello-world"] }) { playback { id nativeId mediaUri targetUri state language } actionCursor } }',
      { id: live },
    );
    expect(r.errors).toBeUndefined();
    const p = r.data!.playMedia.playback;
    expect(r.data!.playMedia.actionCursor).toMatch(/^\d+$/);
    expect(p).toMatchObject({
      mediaUri: 'sound:hello-world',
      targetUri: `channel:${live.split(':')[1]}`,
      state: 'QUEUED',
      language: 'en',
    });
    expect(p.id).toBe(`pbx1:${p.nativeId}`);
    expect(p.nativeId).toMatch(/^[0-9a-f-]{36}$/);
    const events = await sub.waitForCount(2);
    expect(events.map((e) => e.data!.channelEvents.__typename)).toEqual(['PlaybackStarted', 'PlaybackFinished']);
    expect(events[1].data!.channelEvents).toEqual({
      __typename: 'PlaybackFinished',
      channelId: live,
      playback: { nativeId: p.nativeId, state: 'DONE' },
    });
    sub.dispose();
  });

  it('controlPlayback pauses a playing playback; stopPlayback stops it; both refuse a finished one', async () => {
    const r = await h.gql(
      'mutation($id: ID!, $media: [String!]!) { playMedia(input: { id: $id, media: $media, playbackId: "pb-ctl-1" }) { playback { id } } }',
      // Twenty sounds in a row: a window of seconds in which the playback is playing.
      { id: live, media: Array.from({ length: 20 }, () => 'sound:demo-congrats') },
    );
    expect(r.data!.playMedia.playback.id).toBe('pbx1:pb-ctl-1');
    await waitFor(async () => {
      const state = await h.gql<{ node: { state: string } | null }>(
        '{ node(id: "pbx1:pb-ctl-1") { ... on Playback { state } } }',
      );
      return state.data?.node?.state === 'PLAYING';
    }, 'playback pb-ctl-1 playing');
    const paused = await h.gql(
      'mutation { controlPlayback(input: { id: "pbx1:pb-ctl-1", operation: PAUSE }) { playback { id state } } }',
    );
    expect(paused.errors).toBeUndefined();
    expect(paused.data!.controlPlayback).toEqual({ playback: { id: 'pbx1:pb-ctl-1', state: 'PAUSED' } });
    const stopped = await h.gql('mutation { stopPlayback(input: { id: "pbx1:pb-ctl-1" }) { stoppedPlaybackId } }');
    expect(stopped).toMatchObject({ data: { stopPlayback: { stoppedPlaybackId: 'pbx1:pb-ctl-1' } } });
    const again = await h.gql(
      'mutation { controlPlayback(input: { id: "pbx1:pb-ctl-1", operation: UNPAUSE }) { playback { id } } }',
    );
    expect(firstError(again).extensions).toMatchObject({
      code: 'NOT_FOUND',
      backendStatus: 404,
      backendMessage: 'Playback not found',
    });
    const stopGone = await h.gql('mutation { stopPlayback(input: { id: "pbx1:pb-ctl-1" }) { stoppedPlaybackId } }');
    expect(firstError(stopGone).extensions?.code).toBe('NOT_FOUND');
  });

  it('playMedia errors: bad media refused before the backend, 404, 409, 412', async () => {
    const bad = await h.gql(
      'mutation($id: ID!) { playMedia(input: { id: $id, media: ["bogus:thing"] }) { playback { id } } }',
      { id: live },
    );
    expect(firstError(bad).extensions?.code).toBe('BAD_USER_INPUT');
    const unknown = await h.gql(
      'mutation { playMedia(input: { id: "pbx1:1.999", media: ["sound:hello-world"] }) { playback { id } } }',
    );
    expect(firstError(unknown).extensions).toMatchObject({ code: 'NOT_FOUND', backendStatus: 404 });
    const notInStasis = await h.gql(
      'mutation($id: ID!) { playMedia(input: { id: $id, media: ["sound:hello-world"] }) { playback { id } } }',
      { id: await dialplanChannel(h) },
    );
    expect(firstError(notInStasis).extensions?.code).toBe('CHANNEL_NOT_IN_APPLICATION');
    const down = await h.gql(
      'mutation($id: ID!) { playMedia(input: { id: $id, media: ["sound:hello-world"] }) { playback { id } } }',
      { id: await downStasisChannel(h) },
    );
    expect(firstError(down).extensions?.code).toBe('CHANNEL_STATE_INVALID');
  });

  it('recordChannel returns a QUEUED live recording; a second one with the same name conflicts', async () => {
    const r = await h.gql(
      'mutation($id: ID!) { recordChannel(input: { id: $id, name: "calls/rec-1", format: "wav", maxDurationSeconds: 5 }) { recording { name format state targetUri } } }',
      { id: live },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordChannel.recording).toEqual({
      name: 'calls/rec-1',
      format: 'wav',
      state: 'QUEUED',
      targetUri: `channel:${live.split(':')[1]}`,
    });
    const dup = await h.gql(
      'mutation($id: ID!) { recordChannel(input: { id: $id, name: "calls/rec-1", format: "wav" }) { recording { name } } }',
      { id: live },
    );
    expect(firstError(dup).extensions).toMatchObject({ code: 'CONFLICT', backendStatus: 409 });
    const badFormat = await h.gql(
      'mutation($id: ID!) { recordChannel(input: { id: $id, name: "rec-2", format: "nosuchformat" }) { recording { name } } }',
      { id: live },
    );
    expect(firstError(badFormat).extensions).toMatchObject({ code: 'UNSUPPORTED_FORMAT', backendStatus: 422 });
    const escape = await h.gql(
      'mutation($id: ID!) { recordChannel(input: { id: $id, name: "../etc/x", format: "wav" }) { recording { name } } }',
      { id: live },
    );
    expect(firstError(escape).extensions?.code).toBe('BAD_USER_INPUT');
  });
});
