/**
 * Agents: recipients by account and queue, kept current by agentEvents (AgentStateChanged
 * carries the agent read fresh; other events re-read it).
 */
import { errorCode, type Gql } from '../client';
import { ask } from '../dialog';
import { h, setText, formatDuration } from '../dom';
import { frame } from '../frame';
import * as op from '../operations';
import type { AgentEventMsg, Permissions, Recipient } from '../types';
import { agentCard, wrapupEndsAt, type CardActions } from './agent-card';

const MUTATIONS: Record<string, (id: string) => [string, Record<string, unknown>]> = {
  login: (id) => [op.LOGIN, { id }],
  logout: (id) => [op.LOGOUT, { id }],
  ready: (id) => [op.SET_STATUS, { input: { id, status: 'READY' } }],
  away: (id) => [op.SET_STATUS, { input: { id, status: 'AWAY' } }],
  endWrapup: (id) => [op.END_WRAPUP, { id }],
};

export class AgentsView {
  readonly el: HTMLElement;
  readonly recipients = new Map<string, Recipient>();
  private readonly wrapups = new Map<string, number>();
  private readonly body = h('div', { class: 'accounts' });
  private readonly listeners: Array<() => void> = [];

  constructor(
    private readonly gql: Gql,
    private readonly perms: Permissions,
  ) {
    this.el = h(
      'section',
      { id: 'agents', 'aria-labelledby': 'agents-h' },
      h('h2', { id: 'agents-h', text: 'Agents' }),
      this.body,
    );
    setInterval(() => frame.schedule('agents:wrapup', () => this.tickWrapups()), 1000);
  }

  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  replaceAll(list: Recipient[]): void {
    this.recipients.clear();
    for (const r of list) this.put(r);
    this.schedule();
  }

  put(r: Recipient): void {
    if (this.perms.ownRecipient && r.id !== this.perms.ownRecipient) return;
    this.recipients.set(r.id, r);
    this.wrapups.set(r.id, wrapupEndsAt(r));
    this.schedule();
  }

  apply(e: AgentEventMsg): void {
    if (e.__typename === 'ResyncRequired') return e.recipients ? this.replaceAll(e.recipients) : undefined;
    if (e.recipient) return this.put(e.recipient);
    if (e.recipientId) void this.refresh(e.recipientId);
  }

  async refresh(id: string): Promise<void> {
    const r = await this.gql.query<{ recipient: Recipient | null }>(op.RECIPIENT, { id });
    if (r.data?.recipient) this.put(r.data.recipient);
  }

  private schedule(): void {
    frame.schedule('agents:render', () => this.render());
    for (const l of this.listeners) l();
  }

  private render(): void {
    const byAccount = new Map<string, Recipient[]>();
    for (const r of this.recipients.values())
      byAccount.set(`${r.backend.name} / ${r.accountId}`, [
        ...(byAccount.get(`${r.backend.name} / ${r.accountId}`) ?? []),
        r,
      ]);
    const actions: CardActions = {
      run: (id, action) => void this.run(id, action),
      canAct: this.perms.actOnAgents,
      canMonitor: this.perms.controlCalls,
    };
    this.body.replaceChildren(
      ...[...byAccount].map(([account, list]) =>
        h(
          'section',
          { class: 'account', 'aria-label': `Account ${account}` },
          h('h3', { text: `Account ${account}` }),
          queueSummary(list),
          h(
            'div',
            { class: 'cards' },
            ...list
              .sort((a, b) => a.name.localeCompare(b.name))
              .map((r) => agentCard(r, actions, this.wrapups.get(r.id) ?? 0)),
          ),
        ),
      ),
    );
    if (this.recipients.size === 0) this.body.append(h('p', { text: 'No agents in scope.' }));
  }

  private async run(id: string, action: string): Promise<void> {
    const [doc, vars] = action === 'monitor' ? await this.monitorInput(id) : MUTATIONS[action](id);
    if (!doc) return;
    // Every agent mutation's payload is `{ recipient }`: the agent as the backend left it.
    const r = await this.gql.mutate<Record<string, { recipient: Recipient | null }>>(doc, vars);
    const code = errorCode(r.error);
    const problem = this.body.querySelector(`article[data-id="${CSS.escape(id)}"] .problem`);
    if (code && problem) setText(problem, `${action} refused: ${code}`);
    const re = r.data && Object.values(r.data)[0]?.recipient;
    if (re && action !== 'monitor') this.put(re);
  }

  private async monitorInput(target: string): Promise<[string, Record<string, unknown>]> {
    const others = [...this.recipients.values()].filter((r) => r.id !== target).map((r) => r.id);
    const v = await ask('Monitor an agent', [
      { name: 'id', label: 'Supervisor (recipient)', value: others[0], options: others },
      { name: 'mode', label: 'Mode', value: 'EAVESDROP', options: ['EAVESDROP', 'WHISPER', 'BARGE'] },
    ]);
    return v ? [op.MONITOR, { input: { id: v.id, target, mode: v.mode } }] : ['', {}];
  }

  private tickWrapups(): void {
    const now = Date.now();
    for (const el of this.body.querySelectorAll<HTMLElement>('.wrapup[data-ends]')) {
      const ends = Number(el.dataset.ends);
      if (ends) setText(el, `Wrap-up ${formatDuration((ends - now) / 1000)}`);
    }
  }
}

/** Per queue: how many of the account's agents are available in it. */
function queueSummary(list: Recipient[]): HTMLElement {
  const queues = new Map<string, [number, number]>();
  for (const r of list)
    for (const q of r.status.queueAvailability) {
      const [on, all] = queues.get(q.queueId) ?? [0, 0];
      queues.set(q.queueId, [on + (q.available ? 1 : 0), all + 1]);
    }
  return h(
    'ul',
    { class: 'queue-summary', 'aria-label': 'Queues' },
    ...[...queues].map(([id, [on, all]]) =>
      h('li', { title: id, text: `Queue ${id.slice(0, 8)}: ${on}/${all} available` }),
    ),
  );
}
