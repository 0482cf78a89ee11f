import { css, html, LitElement, nothing, type CSSResultGroup, type TemplateResult, type PropertyDeclarations } from 'lit';
import { pickLocale, type Locale } from '../common/localize.ts';
import { Problem, type RequestState } from '../common/request.ts';
import { call } from './api.ts';
import { messages, type Messages } from './i18n.ts';

/** The API's origin: wherever this script was loaded from (`document.currentScript` is null in modules). */
export const ORIGIN = new URL(import.meta.url).origin;

/**
 * Styles every element shares. The visible box is `.base` (`part="base"`): it resets every
 * inherited property (`all: initial`) and sets sizes in px and em, never rem, so a host page's
 * `* { all: unset }` or a 40px root font does not reach inside.
 */
const shared = css`
  :host {
    display: block;
  }
  [hidden],
  :host([hidden]) {
    display: none !important;
  }
  .base {
    all: initial;
    display: block;
    box-sizing: border-box;
    font: 16px/1.5 var(--fidelio-font, system-ui, sans-serif);
    color: #1f2328;
    --p: var(--fidelio-primary, var(--m, #1d4ed8));
    --po: var(--fidelio-on-primary, var(--mo, #fff));
    --r: var(--fidelio-radius, 12px);
    --s: calc(var(--r) / 2);
  }
  *,
  ::before,
  ::after {
    box-sizing: inherit;
  }
  * {
    margin: 0;
  }
  ul,
  fieldset,
  legend {
    padding: 0;
    border: 0;
  }
  .stack > * + * {
    margin-top: 0.875em;
  }
  button,
  input,
  textarea {
    font: inherit;
  }
  .btn {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    padding: 0.5em 1.25em;
    border: 1px solid var(--p);
    border-radius: var(--r);
    background: var(--p);
    color: var(--po);
    font-weight: 600;
    text-decoration: none;
    cursor: pointer;
  }
  [aria-disabled='true'] {
    opacity: 0.75;
  }
  .ghost,
  .opts label,
  .field input,
  textarea {
    border: 1px solid #6e7781;
    border-radius: var(--s);
    background: #fff;
    color: #1f2328;
  }
  .link {
    all: unset;
    text-decoration: underline;
    cursor: pointer;
  }
  :focus-visible,
  label:has(:focus-visible) {
    outline: 3px solid var(--fidelio-focus, #1d4ed8);
    outline-offset: 2px;
  }
  .field {
    display: grid;
    gap: 0.25em;
  }
  label,
  legend {
    font-weight: 600;
  }
  .field input,
  textarea {
    width: 100%;
    min-height: 44px;
    padding: 0.5em 0.75em;
  }
  textarea {
    min-height: 6em;
  }
  [aria-invalid='true'] {
    border-color: #b42318;
  }
  .check {
    display: flex;
    gap: 0.625em;
    font-weight: 400;
  }
  .check input {
    flex: none;
    width: 20px;
    height: 20px;
    accent-color: var(--p);
  }
  .muted,
  .ends,
  .state {
    color: #57606a;
  }
  .err {
    color: #b42318;
    font-size: 0.875em;
  }
  .alert {
    padding: 0.75em 1em;
    border: 1px solid #f1aeb5;
    border-radius: var(--s);
    background: #fff5f5;
    color: #7a1c1c;
  }
  .ok {
    border-color: #a3cfbb;
    background: #f0fbf4;
    color: #0f5132;
  }
  .state {
    display: grid;
    place-items: center;
    min-height: 6em;
  }
  .sr {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
  }
  .opts {
    display: flex;
    flex-wrap: wrap;
    gap: 0.375em;
    margin-top: 0.375em;
  }
  /* Each radio covers its label, invisible: the label shows, the radio takes the click. */
  .opts label {
    position: relative;
    display: grid;
    place-items: center;
    min-width: 44px;
    min-height: 44px;
  }
  .opts input {
    position: absolute;
    inset: 0;
    width: 100%;
    height: 100%;
    opacity: 0;
    cursor: pointer;
  }
  .opts :has(:checked) {
    background: var(--p);
    border-color: var(--p);
    color: var(--po);
  }
  .ends {
    display: flex;
    justify-content: space-between;
    font-size: 0.875em;
  }
`;

/** What to tell the visitor for an HTTP status; anything else means the service is unavailable. */
const PROBLEMS: Record<number, 'checkFields' | 'forbidden' | 'notFound' | 'tooMany'> = {
  400: 'checkFields',
  403: 'forbidden',
  404: 'notFound',
  429: 'tooMany',
};

/**
 * The base of every fidelio element: where the API is, which language, shared rendering.
 * Reactive properties are declared in `static properties` rather than with decorators: the
 * same thing to Lit, without the decorator helpers in a bundle that has a byte budget.
 */
export class FidelioElement extends LitElement {
  static override get styles(): CSSResultGroup {
    return shared;
  }

  static override get properties(): PropertyDeclarations {
    return {
      errors: { state: true },
      api: {},
      language: { attribute: 'lang' },
      timeout: { type: Number },
    };
  }

  /** After the next render, focus this (the focused form is about to be replaced). */
  protected focusAfter = '';

  /** Field name → error message, shown under the field. */
  protected errors: Record<string, string> = {};

  /** The API origin; the script's own origin unless set. */
  api = ORIGIN;
  /** `en` or `fr`; else the page's `<html lang>`, else the browser's language. */
  language = '';
  /** Milliseconds before a request counts as failed. */
  timeout = 10_000;

  override updated(): void {
    if (this.focusAfter) this.renderRoot.querySelector<HTMLElement>(this.focusAfter)?.focus();
    this.focusAfter = '';
  }

  get locale(): Locale {
    return pickLocale(this.language || document.documentElement.lang || navigator.language);
  }

  protected get m(): Messages {
    return messages(this.locale);
  }

  /** A public API address: `/api/public/<kind>/<id, encoded><rest>`. */
  protected url(kind: 'programs' | 'cards', id: string, rest = ''): string {
    return `${this.api.replace(/\/+$/, '')}/api/public/${kind}/${encodeURIComponent(id)}${rest}`;
  }

  protected emit<K extends keyof GlobalEventHandlersEventMap>(
    name: K,
    detail: GlobalEventHandlersEventMap[K] extends CustomEvent<infer D> ? D : never,
  ): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  /** What went wrong, in the visitor's words. */
  protected problemText(p: Problem | undefined): string {
    return this.m[PROBLEMS[p?.status ?? 0] ?? 'offline'];
  }

  /** An announced error; with a retry button unless asking again cannot help. */
  protected failure(r: RequestState<unknown>, text = this.problemText(r.error)): TemplateResult {
    const s = r.error?.status ?? 0;
    return html`<div class="alert stack" role="alert" part="error">
      <p>${text}</p>
      ${s === 0 || s === 429 || s >= 500 ? html`<button class="btn ghost" type="button" @click=${r.retry}>${this.m.retry}</button>` : nothing}
    </div>`;
  }

  /** Loading, failed or done; `idle` when the request was never made. */
  protected states<T>(r: RequestState<T>, done: (value: T) => unknown, idle: () => unknown = () => nothing): unknown {
    switch (r.status) {
      case 'complete':
        return done(r.value as T);
      case 'error':
        return this.failure(r);
      case 'pending':
        return html`<p class="state" role="status">${this.m.loading}</p>`;
      default:
        return idle();
    }
  }

  /**
   * A submitted form's values (trimmed, empty ones left out), or undefined while `r` is still
   * sending or when a field is invalid: the browser's constraint validation, in the widget's
   * language, shown under each field, focus on the first. `custom` replaces "required" per field.
   */
  protected read(e: SubmitEvent, r: RequestState<unknown>, custom: Record<string, string>): Record<string, string | undefined> | undefined {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    if (r.status === 'pending') return;
    const errors: Record<string, string> = {};
    let first: HTMLInputElement | undefined;
    for (const el of form.elements as unknown as Iterable<HTMLInputElement>) {
      const v = el.validity;
      if (!el.name || v.valid || errors[el.name]) continue;
      errors[el.name] = v.valueMissing
        ? (custom[el.name] ?? this.m.required)
        : v.typeMismatch && el.type === 'email'
          ? this.m.badEmail
          : this.m.invalid;
      first ??= el;
    }
    this.errors = errors;
    first?.focus();
    return first ? undefined : Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v).trim() || undefined]));
  }

  /**
   * POSTs a form to the API. On success, focus goes to `focus` (the thanks that replaces the
   * form); a 400 marks the fields it names as invalid.
   */
  protected async post<T>(signal: AbortSignal, url: string, body: unknown, focus: string): Promise<T> {
    try {
      const answer = await call<T>(url, signal, body);
      this.focusAfter = focus;
      return answer;
    } catch (e) {
      if (e instanceof Problem && e.status === 400) {
        this.errors = Object.fromEntries(e.errors.map((x) => [x.path.split('.').pop(), this.m.invalid]));
      }
      throw e;
    }
  }

  /** A labelled input (or textarea) with its error message. */
  protected field(
    name: string,
    label: string,
    type: string,
    opts: { required?: boolean; auto?: string; max?: number; value?: string } = {},
  ): TemplateResult {
    const err = this.errors[name];
    const described = err ? `${name}-err` : nothing;
    return html`<div class="field">
      <label for=${name}>${label}${opts.required ? nothing : html` <span class="muted">${this.m.optional}</span>`}</label>
      ${
        type === 'textarea'
          ? html`<textarea
              id=${name}
              name=${name}
              maxlength=${opts.max ?? nothing}
              aria-invalid=${!!err}
              aria-describedby=${described}
            ></textarea>`
          : html`<input
              id=${name}
              name=${name}
              type=${type}
              .value=${opts.value ?? ''}
              ?required=${opts.required}
              autocomplete=${opts.auto ?? nothing}
              maxlength=${opts.max ?? nothing}
              aria-invalid=${!!err}
              aria-describedby=${described}
            />`
      }
      ${err ? html`<p class="err" id="${name}-err">${err}</p>` : nothing}
    </div>`;
  }

  /** A required radio group of `values`, each labelled by `label(v)`, with its end labels. */
  protected scale(
    name: string,
    legend: string,
    values: number[],
    label: (v: number) => unknown,
    onPick: (v: number) => void,
    ends?: [string, string],
    on?: (v: number) => boolean,
  ): TemplateResult {
    const err = this.errors[name];
    return html`<fieldset aria-describedby=${ends ? `${name}-ends` : nothing}>
      <legend>${legend}</legend>
      <div class="opts">
        ${values.map(
          (v) =>
            html`<label class=${on?.(v) ? 'on' : ''}
              ><input
                type="radio"
                id="${name}${v}"
                name=${name}
                value=${v}
                required
                aria-describedby=${err ? `${name}-err` : nothing}
                @change=${() => {
                  onPick(v);
                  // Picked: the "choose one" message goes.
                  const { [name]: _, ...rest } = this.errors;
                  this.errors = rest;
                }}
              />${label(v)}</label
            >`,
        )}
      </div>
      ${ends ? html`<p class="ends" id="${name}-ends"><span>${ends[0]}</span><span>${ends[1]}</span></p>` : nothing}
      ${err ? html`<p class="err" id="${name}-err">${err}</p>` : nothing}
    </fieldset>`;
  }

  /** The submit button and the form's announced status. */
  protected submit(r: RequestState<unknown>, label: string): TemplateResult {
    const pending = r.status === 'pending';
    return html`${Object.keys(this.errors).length ? html`<p class="alert" role="alert">${this.m.checkFields}</p>` : nothing}
      ${r.status === 'error' && r.error?.status !== 400 && r.error?.status !== 409 ? this.failure(r) : nothing}
      <button class="btn" type="submit" aria-disabled=${pending}>${pending ? this.m.sending : label}</button>`;
  }
}
