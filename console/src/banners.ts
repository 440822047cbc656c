/** One banner per failing backend, naming it; the rest of the page keeps working. */
import { h, setText } from './dom';

export class Banners {
  readonly el = h('div', { class: 'banners', 'aria-live': 'polite' });
  private readonly shown = new Map<string, HTMLElement>();

  set(backend: string, problem: string | null): void {
    const existing = this.shown.get(backend);
    if (!problem) {
      existing?.remove();
      this.shown.delete(backend);
      return;
    }
    const text = `Backend ${backend} is unavailable: ${problem}. Other backends keep working.`;
    if (existing) return setText(existing, text);
    const banner = h('div', { class: 'banner', role: 'alert', 'data-backend': backend, text });
    this.shown.set(backend, banner);
    this.el.append(banner);
  }

  failing(): string[] {
    return [...this.shown.keys()];
  }
}
