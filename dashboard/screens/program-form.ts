// What the program editor and the pass designer share: a draft of the whole program, fields bound
// to it by path ("reward.costMinor"), the save (PUT /api/merchant/program) with the server's
// refusals shown next to their fields and summed up at the top.
//
// Over 400 lines, on purpose: the draft, the text typed in its fields and their errors are one
// state that every kind of field, the summary and the save read and write. What is not that
// state lives elsewhere: the field markup in `../field.ts`, money and numbers as typed in
// `common/money.ts` and `common/numbers.ts`.
import { css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Program } from '../../common/api.ts';
import { currencyDigits, moneyText, parseMoney } from '../../common/money.ts';
import { numberText, parseNumber } from '../../common/numbers.ts';
import { Request } from '../../common/request.ts';
import { merchant, MerchantProblem } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { errorLine, field, type Wiring } from '../field.ts';
import { programMessages, type ProgramMessages } from './program-i18n.ts';

export interface FieldError {
  path: string;
  message: string;
}

/** `PUT /api/merchant/program` with the whole program; resolves to the program as stored (a 400 names its fields in `errors`). */
export async function putProgram(signal: AbortSignal, program: Program): Promise<Program> {
  return (await merchant<{ program: Program }>(signal, 'PUT', 'program', { body: program })).program;
}

/** The value at a path like "rewards.0.points". */
export function getPath(o: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], o);
}

/** A copy of `o` with the value at `path` replaced. */
export function setPath<T>(o: T, path: string, value: unknown): T {
  const copy = structuredClone(o);
  const keys = path.split('.');
  const last = keys.pop()!;
  const parent = keys.reduce<Record<string, unknown>>((v, k) => v[k] as Record<string, unknown>, copy as Record<string, unknown>);
  parent[last] = value;
  return copy;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Field ids in the shadow root: `f-` and the path. */
const fieldId = (path: string) => `f-${path}`;

interface FieldOptions {
  hint?: string | TemplateResult;
  /** Also shows the errors of paths under this one ("allowedOrigins.2" at "allowedOrigins"). */
  nested?: boolean;
  autocomplete?: string;
  inputmode?: 'text' | 'numeric' | 'decimal' | 'url';
  type?: string;
  maxlength?: number;
}

/**
 * The base of the program editor and the pass designer: `draft` is the program as being edited,
 * a copy of `program` until the first change; Save sends it whole, as GET gave it with exactly
 * the changes made. Fields are bound by path (`reward.costMinor`): typing updates the draft,
 * numbers and amounts once they parse (a typing error shows at once, next to the field, and
 * stops the save). A 400 `validation_failed` shows each `{ path, message }` next to the field of
 * that path and lists them all in a summary at the top, which gets the focus.
 *
 * @event fd-program-changed - the program was saved (through `programSaved`).
 */
export class ProgramForm extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      h3 {
        font-size: 1.0625em;
      }
      section,
      fieldset {
        display: grid;
        gap: 1em;
      }
      section + section {
        padding-top: 1.5em;
        border-top: 1px solid #d0d7de;
      }
      fieldset {
        min-width: 0;
        padding: 0.75em 1em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      legend {
        padding: 0 0.25em;
        font-weight: 700;
      }
      [aria-invalid='true'] {
        border-color: #b42318 !important;
        border-width: 2px !important;
      }
      .error {
        color: #b42318;
        font-weight: 600;
      }
      .error::before {
        content: '⚠ ';
      }
      .summary ul {
        padding-left: 1.25em;
      }
      .link {
        padding: 0;
        border: 0;
        background: none;
        color: inherit;
        font: inherit;
        font-weight: 600;
        text-decoration: underline;
        cursor: pointer;
      }
      .pair {
        display: grid;
        gap: 1em;
        grid-template-columns: repeat(auto-fit, minmax(12em, 1fr));
      }
      .row-actions {
        display: flex;
        justify-content: flex-end;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    draft: { state: true },
  };

  #save = new Request(this, (signal, p: Program) => putProgram(signal, p));
  /** What is typed in the fields that parse (numbers, amounts, lists), by path: shown as typed. */
  #raw = new Map<string, string>();
  /** Typing errors found before sending, by path. */
  #local = new Map<string, string>();
  /** Paths edited since the server refused them: their errors are no longer shown. */
  #edited = new Set<string>();
  /** Save was pressed with typing errors: the summary lists them. */
  #attempted = false;
  /** The labels of the fields as last rendered, by path: the summary names the fields. */
  #labels = new Map<string, string>();

  /** The program being edited. */
  protected draft?: Program;

  protected get t(): ProgramMessages {
    return programMessages(this.locale);
  }

  /** The draft differs from the program as stored. */
  protected get dirty(): boolean {
    return !!this.draft && !!this.program && !same(this.draft, this.program);
  }

  /** Changed, or typed into and not yet a value (a number being written): leaving would lose it. */
  override get unsaved(): boolean {
    return this.dirty || this.#local.size > 0;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A program from outside (the shell, a logo upload) replaces the draft unless it holds changes.
    if (changed.has('program') && this.program) {
      const before = changed.get('program') as Program | undefined;
      if (!this.draft || !before || same(this.draft, before)) this.#reset(this.program);
    }
  }

  #reset(p: Program): void {
    this.draft = structuredClone(p);
    this.#raw.clear();
    this.#local.clear();
  }

  /** Sets one value of the draft. */
  protected set(path: string, value: unknown): void {
    if (!this.draft) return;
    this.draft = setPath(this.draft, path, value);
    this.#edited.add(path);
    if (this.#save.status === 'complete') this.#save.reset();
  }

  /** Sets a value chosen rather than typed (a colour picker): the field shows it instead of what was typed. */
  protected choose(path: string, value: unknown): void {
    this.#raw.delete(path);
    this.#local.delete(path);
    this.set(path, value);
  }

  /** Another write is in flight (the logo): Save waits for it, so the two never cross. */
  protected get busy(): boolean {
    return false;
  }

  /** What is being typed in a field, if it differs from the draft's value. */
  protected rawText(path: string): string | undefined {
    return this.#raw.get(path);
  }

  /** After rows were added or removed: what was typed in them, and the errors, no longer match their paths. */
  protected forget(prefix: string): void {
    for (const map of [this.#raw, this.#local]) for (const k of [...map.keys()]) if (k.startsWith(prefix)) map.delete(k);
    for (const e of this.#serverErrors) if (e.path.startsWith(prefix)) this.#edited.add(e.path);
  }

  /** Sets a value from what was typed: `parse` gives the value, or undefined with `error` shown (and the text kept as typed). */
  protected typed(path: string, text: string, parse: (text: string) => unknown, error: string): void {
    this.#raw.set(path, text);
    const value = parse(text);
    if (value === undefined) {
      this.#local.set(path, error);
      this.#edited.add(path);
      this.requestUpdate();
    } else {
      this.#local.delete(path);
      this.set(path, value);
    }
  }

  /** An optional value typed away (an empty field): the text kept as typed, the value out of the program. */
  protected unset(path: string, text = ''): void {
    this.#raw.set(path, text);
    this.#local.delete(path);
    this.set(path, undefined);
  }

  get #serverErrors(): FieldError[] {
    const r = this.#save;
    return r.status === 'error' && r.error?.status === 400 ? r.error.errors : [];
  }

  /** The errors to show: typing errors, then the server's, less those of fields edited since. */
  get #errors(): FieldError[] {
    const local = [...this.#local].map(([path, message]) => ({ path, message }));
    return [...local, ...this.#serverErrors.filter((e) => !this.#edited.has(e.path) && !this.#local.has(e.path))];
  }

  #errorsAt(path: string, nested = false): FieldError[] {
    return this.#errors.filter((e) => e.path === path || (nested && e.path.startsWith(`${path}.`)));
  }

  /** The errors at a path in one line ("Line 3: " before those of a list's lines); undefined when there is none. */
  #errorText(path: string, nested = false): string | undefined {
    const errors = this.#errorsAt(path, nested);
    return errors.length ? errors.map((e) => this.#pathNote(path, e) + e.message).join(' ') : undefined;
  }

  /** The error line under a group of rows (its `path`), with its id for aria-describedby. */
  protected errorsOf(path: string, nested = false) {
    return errorLine(fieldId(path), this.#errorText(path, nested));
  }

  /** "Line 3: " for the error of one line of a list field. */
  #pathNote(path: string, e: FieldError): string {
    if (e.path === path) return '';
    const i = Number(e.path.slice(path.length + 1).split('.')[0]);
    return Number.isInteger(i) ? `${this.locale === 'fr' ? 'Ligne' : 'Line'} ${i + 1}${this.locale === 'fr' ? ' : ' : ': '}` : '';
  }

  /** The field of a path: its label, hint and errors around its control (`field`, with the id `f-<path>`). */
  protected field(path: string, label: string, o: FieldOptions, control: (w: Wiring) => TemplateResult) {
    this.#labels.set(path, label);
    return field(fieldId(path), label, control, { hint: o.hint, error: this.#errorText(path, o.nested) });
  }

  /** A text field; `nullable`: empty is sent as null; `transform`: what is stored of what is typed. */
  protected textField(
    path: string,
    label: string,
    o: FieldOptions & { nullable?: boolean; multiline?: boolean; transform?: (typed: string) => string } = {},
  ) {
    const value = (getPath(this.draft, path) as string | null) ?? '';
    const input = (e: Event) => {
      const v = o.transform ? o.transform((e.target as HTMLInputElement).value) : (e.target as HTMLInputElement).value;
      this.set(path, o.nullable && v.trim() === '' ? null : v);
    };
    return this.field(path, label, o, (w) =>
      o.multiline
        ? html`<textarea
            id=${w.id}
            maxlength=${o.maxlength ?? nothing}
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            .value=${live(value)}
            @input=${input}
          ></textarea>`
        : html`<input
            id=${w.id}
            type=${o.type ?? 'text'}
            maxlength=${o.maxlength ?? nothing}
            autocomplete=${o.autocomplete ?? 'off'}
            inputmode=${o.inputmode ?? nothing}
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            .value=${live(value)}
            @input=${input}
          />`,
    );
  }

  /** An input whose text parses into the value (a number, an amount). */
  #parsedField(path: string, label: string, o: FieldOptions, shown: string, parse: (text: string) => unknown, error: string) {
    const text = this.#raw.get(path) ?? shown;
    return this.field(
      path,
      label,
      o,
      (w) =>
        html`<input
          id=${w.id}
          autocomplete="off"
          inputmode=${o.inputmode ?? 'decimal'}
          aria-describedby=${w.describedBy}
          aria-invalid=${w.invalid}
          .value=${live(text)}
          @input=${(e: Event) => this.typed(path, (e.target as HTMLInputElement).value, parse, error)}
        />`,
    );
  }

  /** A number field: a whole number (`integer`) or a decimal one ("1,5" in French). */
  protected numberField(path: string, label: string, o: FieldOptions & { integer?: boolean } = {}) {
    return this.#parsedField(
      path,
      label,
      { inputmode: o.integer ? 'numeric' : 'decimal', ...o },
      numberText(getPath(this.draft, path) as number, this.locale),
      (t) => parseNumber(t, o.integer),
      o.integer ? this.t.wholeNumber : this.t.number,
    );
  }

  /** Digits after the decimal point of the draft's currency. */
  protected get digits(): number {
    return currencyDigits(this.draft?.currency ?? 'EUR');
  }

  /** An amount in the program's currency, typed as "1.00" and stored in minor units. */
  protected moneyField(path: string, label: string, o: FieldOptions = {}) {
    const d = this.digits;
    const example = moneyText(100, d, this.locale);
    return this.#parsedField(
      path,
      label,
      o,
      moneyText(getPath(this.draft, path) as number, d, this.locale),
      (t) => parseMoney(t, d),
      this.t.moneyFormat(example),
    );
  }

  /** A list of strings, one per line (empty lines dropped). */
  protected linesField(path: string, label: string, o: FieldOptions = {}) {
    const text = this.#raw.get(path) ?? (getPath(this.draft, path) as string[]).join('\n');
    return this.field(
      path,
      label,
      { nested: true, ...o },
      (w) =>
        html`<textarea
          id=${w.id}
          autocomplete="off"
          spellcheck="false"
          aria-describedby=${w.describedBy}
          aria-invalid=${w.invalid}
          .value=${live(text)}
          @input=${(e: Event) => {
            const v = (e.target as HTMLTextAreaElement).value;
            this.#raw.set(path, v);
            this.set(
              path,
              v
                .split('\n')
                .map((l) => l.trim())
                .filter(Boolean),
            );
          }}
        ></textarea>`,
    );
  }

  /** Names a group of fields (a list of rows) for the summary, and gives it an id to focus. */
  protected group(path: string, label: string): string {
    this.#labels.set(path, label);
    return fieldId(path);
  }

  /** Moves the focus to the field of a path (or of the closest path above it that has one). */
  #focusField(path: string): void {
    const root = this.shadowRoot!;
    for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const el = root.getElementById(fieldId(p));
      // A group (a fieldset of rows or radios) gives the focus to its first control.
      const target = el?.matches('input, select, textarea, button')
        ? el
        : el?.querySelector<HTMLElement>('input, select, textarea, button');
      if (target) {
        target.focus();
        target.scrollIntoView({ block: 'center' });
        return;
      }
    }
  }

  #labelOf(path: string): string | undefined {
    for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
      const label = this.#labels.get(p);
      if (label) return label;
    }
    return undefined;
  }

  /** The errors summed up, each a button to its field; shown after a refused save, or Save pressed with typing errors. */
  #summary() {
    const refused = this.#save.status === 'error' && this.#save.error?.status === 400;
    const errors = refused || this.#attempted ? this.#errors : [];
    const colon = this.locale === 'fr' ? ' : ' : ': ';
    if (errors.length)
      return html`<div class="alert summary stack" id="summary" role="alert" tabindex="-1">
        <p><strong>${this.t.fixFields(errors.length)}</strong></p>
        <ul>
          ${errors.map((e) => {
            const label = this.#labelOf(e.path);
            return html`<li>
              ${
                label
                  ? html`<button class="link" type="button" @click=${() => this.#focusField(e.path)}>${label}</button>`
                  : html`<code>${e.path}</code>`
              }${colon}${e.message}
            </li>`;
          })}
        </ul>
      </div>`;
    // A refusal that names no field: the server's words.
    if (refused && this.#serverErrors.length === 0)
      return html`<p class="alert summary" id="summary" role="alert" tabindex="-1">
        ${this.t.notSaved}${(this.#save.error as MerchantProblem).detail}
      </p>`;
    return nothing;
  }

  async #focusSummary(): Promise<void> {
    await this.updateComplete;
    this.shadowRoot!.getElementById('summary')?.focus();
  }

  /** Save: the whole draft, once at a time; typing errors stop it before any request. */
  protected async submit(e?: Event): Promise<void> {
    e?.preventDefault();
    if (!this.draft || this.#save.status === 'pending' || this.busy) return;
    if (this.#local.size) {
      this.#attempted = true;
      this.requestUpdate();
      await this.#focusSummary();
      return;
    }
    this.#attempted = false;
    this.#edited.clear();
    await this.#save.run(this.draft);
    this.checkSession(this.#save);
    const saved = this.#save.value;
    if (this.#save.status === 'complete' && saved) {
      this.#reset(saved);
      this.programSaved(saved);
    } else if (this.#save.status === 'error' && this.#save.error?.status === 400) {
      await this.#focusSummary();
    }
  }

  /** A save is in flight. */
  protected get saving(): boolean {
    return this.#save.status === 'pending';
  }

  /** The save's outcome, above the Save button: a failure, or a line in a live region that stays in place. */
  #outcome() {
    const r = this.#save;
    const t = this.t;
    if (r.status === 'error' && r.error?.status !== 400) {
      const s = r.error?.status ?? 0;
      const detail = (r.error as MerchantProblem).detail;
      return this.failure(r, s === 403 ? t.notOwner : s > 0 && s < 500 && s !== 429 && detail ? `${t.notSaved}${detail}` : undefined);
    }
    const line =
      r.status === 'pending'
        ? html`<p class="hint">${t.saving}</p>`
        : r.status === 'complete'
          ? html`<p class="alert ok">${t.saved}</p>`
          : this.dirty
            ? html`<p class="hint">${t.unsaved}</p>`
            : nothing;
    return html`<div role="status">${line}</div>`;
  }

  /** The screen's own fields (the summary, and the Save bar, go around them). */
  protected fields(): TemplateResult {
    return html``;
  }

  /** The form: the summary, the fields, the Save bar; only for the owner. */
  override render() {
    if (!this.owner) return html`<p class="alert" role="alert">${this.t.notOwner}</p>`;
    if (!this.draft) return html`<p class="state" role="status">${this.m.loading}</p>`;
    this.#labels.clear();
    const fields = this.fields();
    const pending = this.#save.status === 'pending';
    const disabled = pending || this.busy;
    return html`<form class="stack" novalidate @submit=${this.submit}>
      ${this.#summary()} ${fields}
      <div class="actions">
        ${this.#outcome()}
        <button class="btn" type="submit" aria-disabled=${disabled ? 'true' : 'false'}>${pending ? this.t.saving : this.t.save}</button>
      </div>
    </form>`;
  }
}
