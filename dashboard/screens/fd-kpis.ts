import { html } from 'lit';
import { define, ScreenElement } from '../base.ts';

// PLACEHOLDER: being written (issue 5). Replace this whole file.
export class FdKpis extends ScreenElement {
  override render() {
    return html`<p class="state">…</p>`;
  }
}

define('fd-kpis', FdKpis);

declare global {
  interface HTMLElementTagNameMap {
    'fd-kpis': FdKpis;
  }
}
