/** Answering: state Up, device INUSE, and the Local-pair / outbound-dial consequences. */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { completeDial } from './dialing';

export function deviceInUse(engine: AriEngine, ch: SimChannel): void {
  if (ch.tech === 'PJSIP' || ch.tech === 'Local') engine.deviceState(ch.deviceName, 'INUSE');
}

export function answerChannel(engine: AriEngine, ch: SimChannel): void {
  if (ch.state === 'Up' || ch.destroyed) return;
  engine.setState(ch, 'Up');
  ch.rtp?.markUp();
  const owner = ch.tech === 'Local' && ch.localHalf === 2 ? ch.localPeer : null;
  if (owner && !owner.destroyed && owner.state !== 'Up') {
    // core_unreal: the `;2` answering makes the `;1` side Up too (order as in the capture, R4).
    engine.setState(owner, 'Up');
    deviceInUse(engine, owner);
    completeDial(engine, owner, () => deviceInUse(engine, ch));
    return;
  }
  completeDial(engine, ch, () => deviceInUse(engine, ch));
}
