/**
 * The operator console's entry: sign in with an API key, ask `me` what it may do, find the
 * graph's optional fields, then start the page. A rejected key returns to the sign-in form.
 */
import { startApp } from './app';
import { createGql, errorCode } from './client';
import { detectFeatures } from './features';
import { ME } from './operations';
import { forgetKey, savedKey, signIn } from './signin';
import type { Me } from './types';

const GRAPHQL_URL = new URL('/graphql', location.href).toString();

async function boot(root: HTMLElement, problem?: string): Promise<void> {
  const key = (!problem && savedKey()) || (await signIn(root, problem));
  const gql = createGql(GRAPHQL_URL, key);
  const me = await gql.query<{ me: Me }>(ME);
  if (!me.data) {
    gql.dispose();
    forgetKey();
    const code = errorCode(me.error);
    return boot(
      root,
      code === 'UNAUTHENTICATED' ? 'That key was not accepted (UNAUTHENTICATED).' : `Sign-in failed: ${code}`,
    );
  }
  const features = await detectFeatures(gql);
  const signOut = () => {
    forgetKey();
    location.reload();
  };
  (window as unknown as { patchbayConsole: unknown }).patchbayConsole = await startApp(
    root,
    gql,
    me.data.me,
    features,
    signOut,
  );
}

void boot(document.getElementById('app')!);
