/**
 * The simulated Asterisk core: channel registry, snapshot-driven events (state, dialplan, caller id),
 * variables and device states. Behaviour on top of it lives in the sibling modules.
 */
import { AppRegistry, type Scope } from './apps';
import { SimChannel, type ChannelJson, type ChannelState, type Tech } from './channel';
import { channelEvent, deviceStateEvent, varsetEvent, type EventBody } from './events';
import { Scheduler } from './scheduler';
import { NameSuffixSource, UniqueIdSource } from '../util/ids';
import { astTimestamp } from '../util/time';
import type { Playback } from './playback';
import type { LiveRecording } from './recording';

export interface Timing {
  ringMs: number;
  answerMs: number;
  playbackMs: number;
  recordingMs: number;
}

export interface EngineConfig {
  eid: string;
  pjsipEndpoints: string[];
  pjsipContext: string;
  timing: Timing;
  /**
   * Off by default. When set, `GET /channels` also lists the superseded snapshot of a channel
   * whose state or dialplan app changed within the last `windowMs`, after its current one, as
   * a real Asterisk 22.10.1 sometimes does while a call is set up (docs/wire/ari.md §7, §8.1).
   */
  doubledListing?: { windowMs: number };
}

export class AriEngine {
  readonly channels = new Map<string, SimChannel>();
  readonly apps: AppRegistry;
  readonly scheduler = new Scheduler();
  readonly playbacks = new Map<string, Playback>();
  readonly recordings = new Map<string, LiveRecording>();
  readonly storedRecordings = new Map<string, string>(); // name -> format
  readonly globals = new Map<string, string>();
  readonly uniqueIds = new UniqueIdSource();
  readonly suffixes = new NameSuffixSource();
  readonly startupTime = astTimestamp();
  private rtpPort = 10000;

  constructor(readonly config: EngineConfig) {
    this.apps = new AppRegistry(config.eid);
  }

  get timing(): Timing {
    return this.config.timing;
  }

  publish(ev: EventBody, scope: Scope): void {
    this.apps.deliver(ev, scope);
  }

  publishChannel(ev: EventBody, ...channels: SimChannel[]): void {
    this.publish(ev, { kind: 'channel', channels });
  }

  /** `ast_channel_get_by_name`: uniqueid or exact channel name. */
  findByIdOrName(idOrName: string | undefined): SimChannel | undefined {
    if (!idOrName) return undefined;
    const byId = this.channels.get(idOrName);
    if (byId) return byId;
    for (const ch of this.channels.values()) if (ch.name === idOrName) return ch;
    return undefined;
  }

  idInUse(id: string): boolean {
    return this.channels.has(id);
  }

  newId(): string {
    return this.uniqueIds.next();
  }

  nextRtpPort(): number {
    const p = this.rtpPort;
    this.rtpPort = this.rtpPort >= 19998 ? 10000 : this.rtpPort + 2;
    return p;
  }

  /** Registers the channel and publishes ChannelCreated (seen only by subscribe-all apps yet). */
  addChannel(opts: {
    id?: string;
    tech: Tech;
    resource: string;
    name: string;
    context: string;
    exten: string;
    state: ChannelState;
    caller?: { name: string; number: string };
  }): SimChannel {
    const ch = new SimChannel(opts.id ?? this.newId(), opts.name, opts.tech, opts.resource, opts.context, opts.exten);
    ch.state = opts.state;
    if (opts.caller) ch.caller = { ...opts.caller };
    this.channels.set(ch.id, ch);
    this.publishChannel(channelEvent('ChannelCreated', ch), ch);
    return ch;
  }

  setState(ch: SimChannel, state: ChannelState): void {
    if (ch.state === state || ch.destroyed) return;
    this.keepSuperseded(ch);
    ch.state = state;
    this.publishChannel(channelEvent('ChannelStateChange', ch), ch);
  }

  /**
   * ChannelDialplan fires when context/exten/priority change, or the app goes from empty to
   * non-empty (`ast_channel_snapshot_cep_equal` + the app check in `channel_dialplan`).
   */
  setDialplan(ch: SimChannel, dp: Partial<SimChannel['dialplan']>): void {
    const before = { ...ch.dialplan };
    if (dp.appName !== undefined && dp.appName !== before.appName) this.keepSuperseded(ch);
    Object.assign(ch.dialplan, dp);
    const moved =
      before.context !== ch.dialplan.context ||
      before.exten !== ch.dialplan.exten ||
      before.priority !== ch.dialplan.priority;
    const appStarted = before.appName === '' && ch.dialplan.appName !== '';
    if ((moved || appStarted) && ch.dialplan.appName !== '' && !ch.destroyed) {
      this.publishChannel(
        channelEvent('ChannelDialplan', ch, {
          dialplan_app: ch.dialplan.appName,
          dialplan_app_data: ch.dialplan.appData,
        }),
        ch,
      );
    }
  }

  /** With doubledListing on: remembers the snapshot a change is about to supersede. */
  private keepSuperseded(ch: SimChannel): void {
    const o = this.config.doubledListing;
    if (o) ch.superseded = { json: ch.toJSON(), until: Date.now() + o.windowMs };
  }

  /** `GET /channels`: every channel, plus (doubledListing) superseded snapshots still in their window. */
  listSnapshots(): ChannelJson[] {
    const out: ChannelJson[] = [];
    const now = Date.now();
    for (const ch of this.channels.values()) {
      out.push(ch.toJSON());
      if (ch.superseded && ch.superseded.until > now) out.push(ch.superseded.json);
    }
    return out;
  }

  setCaller(ch: SimChannel, name: string, number: string): void {
    if (ch.caller.name === name && ch.caller.number === number) return;
    ch.caller = { name, number };
    this.publishChannel(
      channelEvent('ChannelCallerId', ch, {
        caller_presentation: 0,
        caller_presentation_txt: 'Presentation Allowed, Not Screened',
      }),
      ch,
    );
  }

  setConnected(ch: SimChannel, name: string, number: string): void {
    if (ch.connected.name === name && ch.connected.number === number) return;
    ch.connected = { name, number };
    this.publishChannel(channelEvent('ChannelConnectedLine', ch), ch);
  }

  /** pbx_builtin_setvar_helper on a plain variable: value undefined unsets; both emit ChannelVarset. */
  setVariable(ch: SimChannel, name: string, value: string | undefined): void {
    if (value === undefined) ch.vars.delete(name);
    else ch.vars.set(name, value);
    this.publishChannel(varsetEvent(ch, name, value ?? ''), ch);
  }

  setGlobal(name: string, value: string | undefined): void {
    if (value === undefined) this.globals.delete(name);
    else this.globals.set(name, value);
    // Global variables produce ChannelVarset without `channel`; only subscribe-all apps see them.
    this.publish(varsetEvent(null, name, value ?? ''), { kind: 'channel', channels: [] });
  }

  deviceState(name: string, state: string): void {
    this.publish(deviceStateEvent(name, state, this.config.eid), { kind: 'device', name });
  }

  close(): void {
    this.scheduler.close();
  }
}
