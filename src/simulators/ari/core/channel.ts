/** One simulated channel and its wire snapshot (`ast_channel_snapshot_to_json`). */
import { astTimestamp } from '../util/time';

export type ChannelState = 'Down' | 'Rsrvd' | 'Ring' | 'Ringing' | 'Up' | 'Busy';
export type Tech = 'PJSIP' | 'Local' | 'Snoop' | 'UnicastRTP';

export interface CallerId {
  name: string;
  number: string;
}

export interface DialplanCep {
  context: string;
  exten: string;
  priority: number;
  appName: string;
  appData: string;
}

export interface StasisControl {
  app: string;
  args: string[];
}

export interface ChannelJson {
  id: string;
  name: string;
  state: string;
  protocol_id: string;
  caller: CallerId;
  connected: CallerId;
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  creationtime: string;
  language: string;
  channelvars?: Record<string, string>;
}

export class SimChannel {
  state: ChannelState = 'Down';
  protocolId = '';
  caller: CallerId = { name: '', number: '' };
  connected: CallerId = { name: '', number: '' };
  language = 'en';
  dialplan: DialplanCep;
  readonly creationtime = astTimestamp();
  readonly vars = new Map<string, string>();
  /** Variables reported under `channelvars` (report_events). */
  readonly reportedVars = new Set<string>();
  stasis: StasisControl | null = null;
  /** Dialplan app/data to restore when Stasis returns (e.g. AppDial2 on originated legs). */
  appBeforeStasis: { appName: string; appData: string } | null = null;
  /** Set while the channel runs the dialplan (inbound calls, Local `;2`, originate to an extension). */
  inPbx = false;
  /** Outbound leg placed by the core dialing API (originate / create+dial). */
  outbound = false;
  /** Dial string stored by `POST /channels/create`, consumed by `dial`. */
  ariDialString: string | null = null;
  dialString = '';
  hangupCause = 0;
  hangingUp = false;
  destroyed = false;
  localPeer: SimChannel | null = null;
  localHalf: 1 | 2 | null = null;
  held = false;
  muted = new Set<string>();
  moh: string | null = null;
  silence = false;
  readonly timers = new Set<NodeJS.Timeout>();
  readonly snoops = new Set<SimChannel>();
  /** The snapshot the last state/app change replaced, listed again until `until` (engine doubledListing). */
  superseded: { json: ChannelJson; until: number } | null = null;
  rtp: import('./rtp').RtpSession | null = null;

  constructor(
    readonly id: string,
    readonly name: string,
    readonly tech: Tech,
    /** The endpoint resource (`alice`, `wait@ari-test`, `127.0.0.1:4000`). */
    readonly resource: string,
    context: string,
    exten: string,
  ) {
    this.dialplan = { context, exten, priority: 1, appName: '', appData: '' };
  }

  /** Device name for device-state events: the name without the per-channel suffix. */
  get deviceName(): string {
    return this.name.replace(/-[0-9a-fx]+(;[12])?$/, '');
  }

  toJSON(): ChannelJson {
    const json: ChannelJson = {
      id: this.id,
      name: this.name,
      state: this.state,
      protocol_id: this.protocolId,
      caller: { ...this.caller },
      connected: { ...this.connected },
      accountcode: '',
      dialplan: {
        context: this.dialplan.context,
        exten: this.dialplan.exten,
        priority: this.dialplan.priority,
        app_name: this.dialplan.appName,
        app_data: this.dialplan.appData,
      },
      creationtime: this.creationtime,
      language: this.language,
    };
    if (this.reportedVars.size > 0) {
      const vars: Record<string, string> = {};
      for (const name of this.reportedVars) vars[name] = this.vars.get(name) ?? '';
      json.channelvars = vars;
    }
    return json;
  }
}
