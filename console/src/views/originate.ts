/** The originate dialog: a backend, an endpoint and where the answered call goes. */
import { errorCode, type Gql } from '../client';
import { ask } from '../dialog';
import { ORIGINATE } from '../operations';

/** Asks, originates, and reports the outcome in the page's status line. */
export async function originateDialog(gql: Gql, backends: string[]): Promise<void> {
  const v = await ask('Originate a call', [
    { name: 'backend', label: 'Backend', value: backends[0], options: backends.length ? backends : undefined },
    { name: 'endpoint', label: 'Endpoint (tech/resource)', value: 'PJSIP/alice' },
    { name: 'extension', label: 'Extension when answered', value: '1000' },
  ]);
  if (!v) return;
  const r = await gql.mutate<{ originate: { channel: { id: string } } }>(ORIGINATE, {
    input: { backend: v.backend, endpoint: v.endpoint, extension: v.extension || undefined },
  });
  const status = document.getElementById('status');
  if (status)
    status.textContent = r.data
      ? `Originated ${r.data.originate.channel.id}`
      : `Originate refused: ${errorCode(r.error)}`;
}
