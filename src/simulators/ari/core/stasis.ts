/** Entering and leaving Stasis (`res/res_stasis.c` `stasis_app_exec`, `app_send_end_msg`). */
import type { AriEngine } from './engine';
import type { SimChannel } from './channel';
import { channelEvent } from './events';
import { astTimestamp } from '../util/time';

/**
 * Runs `Stasis(app,args)` on the channel. Returns false when the app has no active websocket
 * (STASISSTATUS=FAILED, the caller continues as the dialplan would).
 */
export function enterStasis(
  engine: AriEngine,
  ch: SimChannel,
  app: string,
  args: string[],
  opts: { setDialplanApp: boolean } = { setDialplanApp: true },
): boolean {
  if (opts.setDialplanApp) {
    ch.appBeforeStasis = ch.inPbx ? null : { appName: ch.dialplan.appName, appData: ch.dialplan.appData };
    engine.setDialplan(ch, { appName: 'Stasis', appData: [app, ...args].join(',') });
  }
  engine.setVariable(ch, 'STASISSTATUS', '');
  const target = engine.apps.get(app);
  if (!target || !target.active) {
    engine.setVariable(ch, 'STASISSTATUS', 'FAILED');
    return false;
  }
  ch.stasis = { app, args };
  target.addInterest(ch.id);
  engine.publish(channelEvent('StasisStart', ch, { args }), { kind: 'app', app });
  return true;
}

/** StasisEnd, one unit of the app's interest dropped, STASISSTATUS=SUCCESS, dialplan app restored. */
export function leaveStasis(engine: AriEngine, ch: SimChannel): void {
  const control = ch.stasis;
  if (!control) return;
  engine.publish(channelEvent('StasisEnd', ch), { kind: 'app', app: control.app });
  ch.stasis = null;
  const app = engine.apps.get(control.app);
  app?.dropInterest(ch.id);
  if (app && !app.active && !app.hasSubscriptions()) engine.apps.apps.delete(app.name);
  engine.setVariable(ch, 'STASISSTATUS', 'SUCCESS');
  if (ch.appBeforeStasis) {
    ch.dialplan.appName = ch.appBeforeStasis.appName;
    ch.dialplan.appData = ch.appBeforeStasis.appData;
    ch.appBeforeStasis = null;
  }
}

/** `move`: to an inactive app → ApplicationMoveFailed to the current app; else End/Start. */
export function moveStasis(engine: AriEngine, ch: SimChannel, dest: string, args: string[]): void {
  const control = ch.stasis;
  if (!control) return;
  const target = engine.apps.get(dest);
  if (!target || !target.active) {
    engine.publish(
      { type: 'ApplicationMoveFailed', timestamp: astTimestamp(), destination: dest, args, channel: ch.toJSON() },
      { kind: 'app', app: control.app },
    );
    return;
  }
  engine.publish(channelEvent('StasisEnd', ch), { kind: 'app', app: control.app });
  engine.apps.get(control.app)?.dropInterest(ch.id);
  ch.stasis = { app: dest, args };
  target.addInterest(ch.id);
  engine.publish(channelEvent('StasisStart', ch, { args }), { kind: 'app', app: dest });
}
