/**
 * One method per ARI operation we use: the 35 channel operations (docs/wire/ari.md §2.1), playback
 * get/stop/control and /asterisk/ping. Wire types in, wire types out; no domain here.
 */
import type * as W from './wire.generated';
import type * as P from './client-params';
import { pathSegment as seg } from './encoding';
import type { AriHttp, AriRequest, HttpMethod } from './http';
import type { Query } from './encoding';

export interface RequestOptions {
  requestId?: string;
}

/** Swagger nickname → AriClient method, so a test can prove every operation has a method. */
export const CHANNEL_OPERATION_METHODS = {
  list: 'list',
  originate: 'originate',
  create: 'create',
  get: 'get',
  originateWithId: 'originateWithId',
  hangup: 'hangup',
  continueInDialplan: 'continueInDialplan',
  move: 'move',
  redirect: 'redirect',
  answer: 'answer',
  ring: 'ring',
  ringStop: 'ringStop',
  progress: 'progress',
  sendDTMF: 'sendDTMF',
  mute: 'mute',
  unmute: 'unmute',
  hold: 'hold',
  unhold: 'unhold',
  startMoh: 'startMoh',
  stopMoh: 'stopMoh',
  startSilence: 'startSilence',
  stopSilence: 'stopSilence',
  play: 'play',
  playWithId: 'playWithId',
  record: 'record',
  getChannelVar: 'getChannelVar',
  setChannelVar: 'setChannelVar',
  getChannelVars: 'getChannelVars',
  setChannelVars: 'setChannelVars',
  snoopChannel: 'snoopChannel',
  snoopChannelWithId: 'snoopChannelWithId',
  dial: 'dial',
  rtpstatistics: 'rtpstatistics',
  externalMedia: 'externalMedia',
  transfer_progress: 'transferProgress',
} as const satisfies Record<string, keyof AriClient>;

function variablesBody(
  variables: P.OriginateParams['variables'],
): { variables: NonNullable<typeof variables> } | undefined {
  return variables === undefined ? undefined : { variables };
}

export class AriClient {
  constructor(private readonly http: AriHttp) {}

  private call<T = void>(
    method: HttpMethod,
    path: string,
    action: string,
    o: RequestOptions | undefined,
    query?: Query,
    body?: unknown,
  ): Promise<T> {
    const req: AriRequest = { method, path, action, query, body, requestId: o?.requestId };
    return this.http.request<T>(req);
  }

  private ch(id: string, rest = ''): string {
    return `/channels/${seg(id)}${rest}`;
  }

  // --- channels: lifecycle -------------------------------------------------------------------

  list(o?: RequestOptions): Promise<W.Channel[]> {
    return this.call('GET', '/channels', 'list channels', o);
  }

  originate(p: P.OriginateParams, o?: RequestOptions): Promise<W.Channel> {
    const { variables, ...query } = p;
    return this.call(
      'POST',
      '/channels',
      `originate a call to "${p.endpoint}"`,
      o,
      { ...query },
      variablesBody(variables),
    );
  }

  originateWithId(channelId: string, p: P.OriginateParams, o?: RequestOptions): Promise<W.Channel> {
    const { variables, channelId: _ignored, ...query } = p;
    return this.call(
      'POST',
      this.ch(channelId),
      `originate channel "${channelId}" to "${p.endpoint}"`,
      o,
      { ...query },
      variablesBody(variables),
    );
  }

  create(p: P.CreateParams, o?: RequestOptions): Promise<W.Channel> {
    const { variables, ...query } = p;
    return this.call(
      'POST',
      '/channels/create',
      `create a channel to "${p.endpoint}"`,
      o,
      { ...query },
      variablesBody(variables),
    );
  }

  get(id: string, o?: RequestOptions): Promise<W.Channel> {
    return this.call('GET', this.ch(id), `get channel "${id}"`, o);
  }

  hangup(id: string, q: P.HangupQuery = {}, o?: RequestOptions): Promise<void> {
    return this.call('DELETE', this.ch(id), `hang up channel "${id}"`, o, { ...q });
  }

  continueInDialplan(id: string, q: P.ContinueQuery = {}, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/continue'), `continue channel "${id}" in the dialplan`, o, { ...q });
  }

  move(id: string, q: P.MoveQuery, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/move'), `move channel "${id}" to application "${q.app}"`, o, { ...q });
  }

  redirect(id: string, endpoint: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/redirect'), `redirect channel "${id}" to "${endpoint}"`, o, { endpoint });
  }

  dial(id: string, q: P.DialQuery = {}, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/dial'), `dial channel "${id}"`, o, { ...q });
  }

  // --- channels: signalling and media --------------------------------------------------------

  answer(id: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/answer'), `answer channel "${id}"`, o);
  }

  ring(id: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/ring'), `indicate ringing on channel "${id}"`, o);
  }

  ringStop(id: string, o?: RequestOptions): Promise<void> {
    return this.call('DELETE', this.ch(id, '/ring'), `stop ringing on channel "${id}"`, o);
  }

  progress(id: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/progress'), `indicate progress on channel "${id}"`, o);
  }

  sendDTMF(id: string, q: P.DtmfQuery, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/dtmf'), `send DTMF to channel "${id}"`, o, { ...q });
  }

  mute(id: string, direction: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/mute'), `mute channel "${id}"`, o, { direction });
  }

  unmute(id: string, direction: string, o?: RequestOptions): Promise<void> {
    return this.call('DELETE', this.ch(id, '/mute'), `unmute channel "${id}"`, o, { direction });
  }

  hold(id: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/hold'), `hold channel "${id}"`, o);
  }

  unhold(id: string, o?: RequestOptions): Promise<void> {
    return this.call('DELETE', this.ch(id, '/hold'), `unhold channel "${id}"`, o);
  }

  startMoh(id: string, mohClass?: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/moh'), `start music on hold on channel "${id}"`, o, { mohClass });
  }

  stopMoh(id: string, o?: RequestOptions): Promise<void> {
    return this.call('DELETE', this.ch(id, '/moh'), `stop music on hold on channel "${id}"`, o);
  }

  startSilence(id: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/silence'), `start silence on channel "${id}"`, o);
  }

  stopSilence(id: string, o?: RequestOptions): Promise<void> {
    return this.call('DELETE', this.ch(id, '/silence'), `stop silence on channel "${id}"`, o);
  }

  play(id: string, q: P.PlayQuery, o?: RequestOptions): Promise<W.Playback> {
    return this.call('POST', this.ch(id, '/play'), `play media on channel "${id}"`, o, { ...q });
  }

  playWithId(
    id: string,
    playbackId: string,
    q: Omit<P.PlayQuery, 'playbackId'>,
    o?: RequestOptions,
  ): Promise<W.Playback> {
    const { media, lang, offsetms, skipms } = q;
    return this.call('POST', this.ch(id, `/play/${seg(playbackId)}`), `play media on channel "${id}"`, o, {
      media,
      lang,
      offsetms,
      skipms,
    });
  }

  record(id: string, q: P.RecordQuery, o?: RequestOptions): Promise<W.LiveRecording> {
    return this.call('POST', this.ch(id, '/record'), `record channel "${id}"`, o, { ...q });
  }

  // --- channels: variables -------------------------------------------------------------------

  getChannelVar(id: string, variable: string, o?: RequestOptions): Promise<W.Variable> {
    return this.call('GET', this.ch(id, '/variable'), `read variable "${variable}" of channel "${id}"`, o, {
      variable,
    });
  }

  setChannelVar(id: string, q: P.SetVarQuery, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/variable'), `set variable "${q.variable}" on channel "${id}"`, o, { ...q });
  }

  getChannelVars(id: string, variables: string[], o?: RequestOptions): Promise<W.Variables> {
    return this.call('GET', this.ch(id, '/variables'), `read variables of channel "${id}"`, o, { variables });
  }

  setChannelVars(id: string, variables: NonNullable<P.CreateParams['variables']>, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/variables'), `set variables on channel "${id}"`, o, undefined, {
      variables,
    });
  }

  // --- channels: helpers and derived channels ------------------------------------------------

  snoopChannel(id: string, q: P.SnoopQuery, o?: RequestOptions): Promise<W.Channel> {
    return this.call('POST', this.ch(id, '/snoop'), `snoop on channel "${id}"`, o, { ...q });
  }

  snoopChannelWithId(
    id: string,
    snoopId: string,
    q: Omit<P.SnoopQuery, 'snoopId'>,
    o?: RequestOptions,
  ): Promise<W.Channel> {
    const { spy, whisper, app, appArgs } = q;
    return this.call('POST', this.ch(id, `/snoop/${seg(snoopId)}`), `snoop on channel "${id}"`, o, {
      spy,
      whisper,
      app,
      appArgs,
    });
  }

  rtpstatistics(id: string, o?: RequestOptions): Promise<W.RTPstat> {
    return this.call('GET', this.ch(id, '/rtp_statistics'), `read RTP statistics of channel "${id}"`, o);
  }

  externalMedia(p: P.ExternalMediaParams, o?: RequestOptions): Promise<W.Channel> {
    const { variables, ...query } = p;
    return this.call(
      'POST',
      '/channels/externalMedia',
      `start external media for application "${p.app}"`,
      o,
      { ...query },
      variablesBody(variables),
    );
  }

  /** Swagger nickname `transfer_progress`. */
  transferProgress(id: string, states: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', this.ch(id, '/transfer_progress'), `report transfer progress on channel "${id}"`, o, {
      states,
    });
  }

  // --- playbacks and health ------------------------------------------------------------------

  getPlayback(playbackId: string, o?: RequestOptions): Promise<W.Playback> {
    return this.call('GET', `/playbacks/${seg(playbackId)}`, `get playback "${playbackId}"`, o);
  }

  stopPlayback(playbackId: string, o?: RequestOptions): Promise<void> {
    return this.call('DELETE', `/playbacks/${seg(playbackId)}`, `stop playback "${playbackId}"`, o);
  }

  controlPlayback(playbackId: string, operation: string, o?: RequestOptions): Promise<void> {
    return this.call('POST', `/playbacks/${seg(playbackId)}/control`, `${operation} playback "${playbackId}"`, o, {
      operation,
    });
  }

  /** POST /applications/{app}/subscription (subscriptions are reference-counted by Asterisk). */
  subscribeApplication(app: string, eventSources: string[], o?: RequestOptions): Promise<W.Application> {
    return this.call('POST', `/applications/${seg(app)}/subscription`, 'subscribe application', o, {
      eventSource: eventSources,
    });
  }

  ping(o?: RequestOptions): Promise<W.AsteriskPing> {
    return this.call('GET', '/asterisk/ping', 'ping Asterisk', o);
  }
}
