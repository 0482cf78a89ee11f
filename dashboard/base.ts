import { css, html, LitElement, nothing, type CSSResultGroup, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { Me, Program } from '../common/api.ts';
import { pickLocale, type Locale } from '../common/localize.ts';
import type { RequestState } from '../common/request.ts';
import type { MerchantProblem } from './api.ts';
import { messages, type Messages } from './i18n.ts';

/**
 * Styles every screen shares. Phone first (a 390-px-wide screen held in one hand): one column,
 * 16px text, buttons at least 48px high, the main actions in a bar stuck to the bottom.
 */
const shared = css`
  :host {
    display: block;
    font: 16px/1.5 var(--fd-font, system-ui, sans-serif);
    color: #1f2328;
    --p: var(--fd-primary, #1d4ed8);
    --po: var(--fd-on-primary, #fff);
    --r: 12px;
  }
  [hidden] {
    display: none !important;
  }
  *,
  ::before,
  ::after {
    box-sizing: border-box;
  }
  * {
    margin: 0;
  }
  .stack > * + * {
    margin-top: 1em;
  }
  button,
  input,
  select,
  textarea {
    font: inherit;
  }
  .btn {
    display: block;
    width: 100%;
    min-height: 56px;
    padding: 0.5em 1.25em;
    border: 2px solid var(--p);
    border-radius: var(--r);
    background: var(--p);
    color: var(--po);
    font-size: 1.125em;
    font-weight: 700;
    cursor: pointer;
  }
  .ghost {
    background: #fff;
    color: var(--p);
  }
  .small {
    width: auto;
    min-height: 44px;
    font-size: 1em;
  }
  [disabled],
  [aria-disabled='true'] {
    opacity: 0.6;
    cursor: not-allowed;
  }
  :focus-visible {
    outline: 3px solid var(--fd-focus, #1d4ed8);
    outline-offset: 2px;
  }
  .field {
    display: grid;
    gap: 0.25em;
  }
  label {
    font-weight: 600;
  }
  .field input,
  .field select,
  .field textarea {
    width: 100%;
    min-height: 48px;
    padding: 0.5em 0.75em;
    border: 1px solid #6e7781;
    border-radius: 8px;
    background: #fff;
    color: inherit;
  }
  .field textarea {
    min-height: 6em;
    resize: vertical;
  }
  .hint,
  .state {
    color: #57606a;
  }
  .hint {
    font-size: 0.875em;
  }
  .alert {
    padding: 0.75em 1em;
    border: 1px solid #f1aeb5;
    border-radius: 8px;
    background: #fff5f5;
    color: #7a1c1c;
  }
  .ok {
    border-color: #a3cfbb;
    background: #f0fbf4;
    color: #0f5132;
  }
  .state {
    padding: 2em 0;
    text-align: center;
  }
  /* A loyalty card's state (the counter, a customer's page): in the dashboard's colours. */
  .card {
    padding: 1em 1.25em;
    border-radius: var(--r);
    background: var(--p);
    color: var(--po);
  }
  /* The one-hand zone: the screen's actions, stuck to the bottom edge while the page scrolls. */
  .actions {
    position: sticky;
    bottom: 0;
    display: grid;
    gap: 0.5em;
    padding: 0.75em 0 max(0.75em, env(safe-area-inset-bottom));
    background: #fff;
  }
`;

/**
 * The base of every dashboard screen: the language and shared rendering. Reactive properties
 * are declared in `static properties` (no decorators), as in the widget.
 */
export class DashboardElement extends LitElement {
  static override styles: CSSResultGroup = shared;

  static override properties: PropertyDeclarations = {
    language: { attribute: 'lang' },
    timeout: { type: Number },
  };

  /** `en` or `fr`; else the browser's language. */
  language = '';
  /** Milliseconds before a request counts as failed (and may be retried). */
  timeout = 10_000;

  get locale(): Locale {
    return pickLocale(this.language || navigator.language);
  }

  protected get m(): Messages {
    return messages(this.locale);
  }

  protected emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
  ): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /** An announced error, with a retry button when asking again can help (unreachable, 429, 5xx). */
  protected failure(r: RequestState<unknown>, text?: string): TemplateResult {
    const s = r.error?.status ?? 0;
    const retry = s === 0 || s === 429 || s >= 500;
    return html`<div class="alert stack" role="alert">
      <p>${text ?? (s === 0 ? this.m.offline : this.m.failed)}</p>
      ${retry ? html`<button class="btn ghost small" type="button" @click=${r.retry}>${this.m.retry}</button>` : nothing}
    </div>`;
  }

  /** The error of a request, with the server's detail and Retry-After. */
  protected problem(r: RequestState<unknown>): MerchantProblem | undefined {
    return r.error as MerchantProblem | undefined;
  }
}

/**
 * The base of the screens the shell opens from its menu (`screens/`): they get the session's
 * `program` and `me` from the shell, and tell it when the program was saved. A screen with an
 * editor says when it holds changes not saved yet (`unsaved`): closing the tab then asks first,
 * and so does the shell before it opens another screen or logs out.
 *
 * @event fd-program-changed - the program was saved; its detail is the program as now stored.
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class ScreenElement extends DashboardElement {
  static override properties: PropertyDeclarations = {
    ...DashboardElement.properties,
    program: { attribute: false },
    me: { attribute: false },
  };

  /** The merchant's program, as last read or saved. */
  program?: Program;
  /** Who is signed in. */
  me?: Me;

  override connectedCallback(): void {
    super.connectedCallback();
    addEventListener('beforeunload', this.#beforeUnload);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('beforeunload', this.#beforeUnload);
  }

  #beforeUnload = (e: BeforeUnloadEvent): void => {
    if (this.unsaved) e.preventDefault();
  };

  /** Changes typed here and not saved (or sent) yet: leaving the screen would lose them. */
  get unsaved(): boolean {
    return false;
  }

  /** The owner sees owner-only actions (staff would get 403 from the server). */
  protected get owner(): boolean {
    return this.me?.role === 'owner';
  }

  /** After a request: a 401 means the session is gone; the shell shows the login form. */
  protected checkSession(r: RequestState<unknown>): void {
    if (r.status === 'error' && r.error?.status === 401) this.emit('fd-signed-out', undefined);
  }

  /** The program was saved: the shell and the other screens use the stored one. */
  protected programSaved(program: Program): void {
    this.program = program;
    this.emit('fd-program-changed', program);
  }
}
