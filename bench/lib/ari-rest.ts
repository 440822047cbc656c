/** Direct ARI REST calls (the "no gateway" side of the comparisons, and channel setup). */
import type { AriTarget } from '../server/protocol';

export class AriRest {
  private readonly auth: string;

  constructor(private readonly t: AriTarget) {
    this.auth = `Basic ${Buffer.from(`${t.username}:${t.password}`).toString('base64')}`;
  }

  get channelsUrl(): string {
    return `${this.t.url}/channels`;
  }

  get authHeader(): Record<string, string> {
    return { authorization: this.auth };
  }

  private async send(method: string, path: string): Promise<{ status: number; body: any }> {
    const res = await fetch(`${this.t.url}${path}`, {
      method,
      headers: this.authHeader,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  }

  /** POST /channels?endpoint=..&app=..; returns the new channel id. */
  async originate(endpoint: string): Promise<string> {
    const q = new URLSearchParams({ endpoint, app: this.t.app });
    const r = await this.send('POST', `/channels?${q}`);
    if (r.status !== 200) throw new Error(`originate ${endpoint}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
    return (r.body as { id: string }).id;
  }

  /** DELETE /channels/{id}; a channel already gone (404) is fine. */
  async hangup(id: string): Promise<void> {
    const r = await this.send('DELETE', `/channels/${encodeURIComponent(id)}`);
    if (r.status !== 204 && r.status !== 404)
      throw new Error(`hangup ${id}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  }

  async channelIds(): Promise<string[]> {
    const r = await this.send('GET', '/channels');
    if (r.status !== 200) throw new Error(`GET /channels: HTTP ${r.status}`);
    return (r.body as Array<{ id: string }>).map((c) => c.id);
  }
}
