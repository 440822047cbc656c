/**
 * Sign-in with an API key, kept in sessionStorage for this browser tab's session. Demo mode's
 * page carries the local key in a meta tag (src/http/console-route.ts) to pre-fill the form.
 */
import { h } from './dom';

const STORAGE = 'patchbay.apiKey';

export function savedKey(): string | null {
  return sessionStorage.getItem(STORAGE);
}

export function saveKey(key: string): void {
  sessionStorage.setItem(STORAGE, key);
}

export function forgetKey(): void {
  sessionStorage.removeItem(STORAGE);
}

function demoKey(): string {
  return document.querySelector<HTMLMetaElement>('meta[name="patchbay-demo-key"]')?.content ?? '';
}

/** Shows the form and resolves with the key entered. */
export function signIn(root: HTMLElement, problem?: string): Promise<string> {
  return new Promise((resolve) => {
    const input = h('input', {
      id: 'api-key',
      name: 'key',
      type: 'password',
      autocomplete: 'off',
      required: true,
      value: demoKey(),
      'aria-describedby': 'key-help',
    });
    const form = h(
      'form',
      { class: 'signin', 'aria-labelledby': 'signin-h' },
      h('h1', { id: 'signin-h', text: 'patchbay console' }),
      h('label', { for: 'api-key', text: 'API key' }),
      input,
      h('p', {
        id: 'key-help',
        class: 'muted',
        text: demoKey() ? 'Demo mode filled in the local admin key.' : 'Make one with `npm run keys -- create`.',
      }),
      problem ? h('p', { class: 'problem', role: 'alert', text: problem }) : '',
      h('button', { type: 'submit' }, 'Sign in'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      saveKey(input.value.trim());
      resolve(input.value.trim());
    });
    root.replaceChildren(h('main', {}, form));
    input.focus();
  });
}
