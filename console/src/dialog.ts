/** A small modal form (native <dialog>) for the actions that need input: play, transfer, originate. */
import { h } from './dom';

export interface Field {
  name: string;
  label: string;
  value?: string;
  options?: string[];
}

/** Resolves with the entered values, or null when cancelled. */
export function ask(title: string, fields: Field[]): Promise<Record<string, string> | null> {
  return new Promise((resolve) => {
    const inputs = fields.map((f) => {
      const id = `dlg-${f.name}`;
      const input = f.options
        ? h(
            'select',
            { id, name: f.name },
            ...f.options.map((o) => h('option', { value: o, selected: o === f.value, text: o })),
          )
        : h('input', { id, name: f.name, value: f.value ?? '', required: true });
      return h('p', {}, h('label', { for: id, text: f.label }), input);
    });
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', { text: title }),
      ...inputs,
      h(
        'menu',
        {},
        h(
          'button',
          { value: 'cancel', type: 'button', class: 'secondary', onclick: () => dialog.close('cancel') },
          'Cancel',
        ),
        h('button', { value: 'ok', type: 'submit' }, 'OK'),
      ),
    );
    const dialog = h('dialog', { 'aria-label': title }, form);
    dialog.addEventListener('close', () => {
      const values = Object.fromEntries(new FormData(form).entries()) as Record<string, string>;
      dialog.remove();
      resolve(dialog.returnValue === 'ok' ? values : null);
    });
    document.body.append(dialog);
    dialog.showModal();
  });
}
