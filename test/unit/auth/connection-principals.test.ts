/** Reuse of a connection's principal: same key only, short-lived, never past expiry, void after a revoke. */
import type { Authenticator } from '../../../src/auth/authenticator';
import { ConnectionPrincipals } from '../../../src/auth/connection-principals';
import type { Principal } from '../../../src/auth/principal';

function fakeAuth(principalFor: (key: string) => Principal | null) {
  const listeners = new Set<(id: string) => void>();
  const calls: string[] = [];
  const auth: Authenticator = {
    authenticate: async (k) => {
      calls.push(k);
      return principalFor(k);
    },
    isActive: async () => true,
    onRevoked: (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return { auth, calls, revoke: (id: string) => listeners.forEach((l) => l(id)), listeners };
}

const viewer = (expiresAt: Date | null = null): Principal => ({
  id: 'k1',
  name: 'v',
  role: 'VIEWER',
  scope: { all: true, accountIds: [], backends: [] },
  recipientId: null,
  expiresAt,
});

describe('ConnectionPrincipals', () => {
  it('reuses the principal on the same connection and key, within the window', async () => {
    let now = 1000;
    const f = fakeAuth((k) => (k === 'good' ? viewer() : null));
    const p = new ConnectionPrincipals(f.auth, 1000, () => now);
    const conn = {};
    expect(p.reused(conn, 'good')).toBeUndefined();
    expect(await p.authenticate(conn, 'good')).toEqual(viewer());
    expect(p.reused(conn, 'good')).toEqual(viewer());
    expect(p.reused(conn, 'other')).toBeUndefined();
    expect(p.reused({}, 'good')).toBeUndefined();
    now = 1999;
    expect(p.reused(conn, 'good')).toBeDefined();
    now = 2000;
    expect(p.reused(conn, 'good')).toBeUndefined();
    expect(await p.authenticate(conn, 'bad')).toBeNull();
    expect(p.reused(conn, 'bad')).toBeUndefined();
  });

  it('never past the key expiry', async () => {
    let now = 1000;
    const f = fakeAuth(() => viewer(new Date(1300)));
    const p = new ConnectionPrincipals(f.auth, 1000, () => now);
    const conn = {};
    await p.authenticate(conn, 'good');
    now = 1299;
    expect(p.reused(conn, 'good')).toBeDefined();
    now = 1300;
    expect(p.reused(conn, 'good')).toBeUndefined();
  });

  it('a revoke in this process voids every reuse, including a verification that was in flight', async () => {
    const f = fakeAuth(() => viewer());
    const p = new ConnectionPrincipals(f.auth, 60_000);
    const a = {};
    await p.authenticate(a, 'good');
    f.revoke('k1');
    expect(p.reused(a, 'good')).toBeUndefined();
    const b = {};
    const pending = p.authenticate(b, 'good');
    f.revoke('k1');
    await pending;
    expect(p.reused(b, 'good')).toBeUndefined();
    p.close();
    expect(f.listeners.size).toBe(0);
  });
});
