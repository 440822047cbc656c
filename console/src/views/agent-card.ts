/** One agent's card: status, per-queue availability, wrap-up countdown, the call in hand, actions. */
import { formatDuration, h } from '../dom';
import type { Recipient } from '../types';

export interface CardActions {
  /** Runs a named action for the recipient; the card shows a refusal's code. */
  run(id: string, action: string): void;
  canAct: boolean;
  canMonitor: boolean;
}

const short = (id: string | null) => (id ? id.slice(0, 8) : '');

/** When the wrap-up shown on a card ends (ms), so the countdown ticks without a request. */
export function wrapupEndsAt(r: Recipient, receivedAt = Date.now()): number {
  return r.status.availabilityState === 'WRAPUP_TIME' ? receivedAt + r.status.wrapupTimeSeconds * 1000 : 0;
}

function buttons(r: Recipient, a: CardActions): HTMLElement {
  const s = r.status;
  const list: Array<[string, string]> = [];
  if (a.canAct) {
    list.push(s.loggedIn ? ['logout', 'Log out'] : ['login', 'Log in']);
    if (s.loggedIn && s.availabilityState !== 'READY') list.push(['ready', 'Ready']);
    if (s.loggedIn && s.availabilityState !== 'AWAY') list.push(['away', 'Away']);
    if (s.availabilityState === 'WRAPUP_TIME') list.push(['endWrapup', 'End wrap-up']);
  }
  if (a.canMonitor) list.push(['monitor', 'Monitor…']);
  return h(
    'div',
    { class: 'actions' },
    ...list.map(([key, label]) =>
      h(
        'button',
        {
          type: 'button',
          class: `act act-${key}`,
          'aria-label': `${label} ${r.name}`,
          onclick: () => a.run(r.id, key),
        },
        label,
      ),
    ),
  );
}

export function agentCard(r: Recipient, a: CardActions, wrapupEnds: number): HTMLElement {
  const s = r.status;
  const queues = h(
    'ul',
    { class: 'queues', 'aria-label': 'Queues' },
    ...s.queueAvailability.map((q) =>
      h('li', {
        class: q.available ? 'q-on' : 'q-off',
        title: q.queueId,
        text: `${short(q.queueId)} ${q.available ? 'available' : 'unavailable'}`,
      }),
    ),
  );
  const call = s.handlingCall
    ? h('p', {
        class: 'call',
        text: `On call: ${s.handlingCall.callerIdName ?? ''} ${s.handlingCall.callerIdNumber ?? ''}`.trim(),
      })
    : h('p', { class: 'call idle', text: 'No call' });
  const wrap = h('p', {
    class: 'wrapup',
    'data-ends': String(wrapupEnds),
    hidden: wrapupEnds === 0,
    text: wrapupEnds ? `Wrap-up ${formatDuration((wrapupEnds - Date.now()) / 1000)}` : '',
  });
  const tap = s.wiretappingRecipient
    ? h('p', { class: 'monitoring', text: `Monitoring ${s.wiretappingRecipient} (${s.wiretapMode ?? ''})` })
    : '';
  return h(
    'article',
    { class: 'agent', 'data-id': r.id, 'aria-label': `Agent ${r.name}` },
    h('h4', { text: r.name }),
    h('span', { class: `astate astate-${s.availabilityState}`, text: s.rawAvailabilityState || s.availabilityState }),
    queues,
    call,
    wrap,
    tap,
    buttons(r, a),
    h('p', { class: 'problem', role: 'status' }),
  );
}
