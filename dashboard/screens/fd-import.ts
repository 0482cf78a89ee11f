// The Import screen. Over 450 lines: its two steps (the preview with the columns chosen, then the
// import followed to its end) and the past imports share the file chosen, the mapping and the
// import being followed; the strings are in import-i18n.ts.
import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { ImportField, ImportPreview, ImportsList, ImportState } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { Request, type RequestState } from '../../common/request.ts';
import { merchant } from '../api.ts';
import { fieldNames, type Strings, strings } from './import-i18n.ts';
import { ScreenElement } from '../base.ts';
import { field } from '../field.ts';

/** The largest file the server takes (its body limit): a bigger one is refused before sending. */
export const MAX_BYTES = 20 * 1024 * 1024;

/** The fields an import reads, in the order of the form (the server's `IMPORT_FIELDS`). */
const FIELDS = ['name', 'email', 'phone', 'birthday', 'balance', 'marketing_consent'] as const satisfies readonly ImportField[];
/** Without these, a row cannot make a member. */
const REQUIRED: ReadonlySet<ImportField> = new Set(['name', 'email']);

type Mapping = Record<ImportField, string | null>;

/**
 * The "Import" screen (owner only): a CSV file of customers, previewed by the server (its
 * encoding, delimiter, header and first rows, and which column holds each field), the columns
 * chosen by the owner, then imported in the background: the screen asks how far it got every
 * `pollEvery` ms and shows a progress bar, the counts and the refused lines. Leaving the screen
 * stops asking; coming back finds the running import (`GET /imports`) and follows it again.
 */
export class FdImport extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      h3 {
        font-size: 1.125em;
      }
      .table {
        overflow-x: auto;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      table {
        border-collapse: collapse;
        font-size: 0.875em;
        white-space: nowrap;
      }
      caption {
        padding: 0.5em 0.75em;
        text-align: start;
        color: #57606a;
      }
      th,
      td {
        padding: 0.375em 0.75em;
        border-top: 1px solid #d0d7de;
        text-align: start;
      }
      th {
        background: #f6f8fa;
      }
      fieldset {
        display: grid;
        gap: 0.75em;
        padding: 0.75em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      legend {
        padding: 0 0.25em;
        font-weight: 600;
      }
      .check {
        display: flex;
        align-items: center;
        gap: 0.625em;
        min-height: 44px;
      }
      .check input {
        width: 1.25em;
        height: 1.25em;
        flex: none;
      }
      .error {
        color: #b42318;
        font-size: 0.875em;
        font-weight: 600;
      }
      progress {
        width: 100%;
        height: 1.25em;
      }
      .lines,
      .past {
        padding-left: 1.25em;
      }
      .past {
        padding: 0;
        list-style: none;
      }
      .past li {
        padding: 0.5em 0;
        border-bottom: 1px solid #d0d7de;
      }
      .meta {
        color: #57606a;
        font-size: 0.875em;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    pollEvery: { type: Number, attribute: false },
    file: { state: true },
    tooBig: { state: true },
    mapping: { state: true },
    missing: { state: true },
    welcome: { state: true },
    current: { state: true },
  };

  #history = new Request(this, (signal) => merchant<ImportsList>(signal, 'GET', 'imports'));
  #preview = new Request(this, (signal, file: File) => merchant<ImportPreview>(signal, 'POST', 'imports/preview', { raw: csv(file) }));
  #start = new Request(this, (signal, file: File, query: string) =>
    merchant<{ id: string }>(signal, 'POST', `imports?${query}`, { raw: csv(file) }),
  );
  #status = new Request(this, (signal, id: string) => merchant<ImportState>(signal, 'GET', `imports/${encodeURIComponent(id)}`));
  #timer?: ReturnType<typeof setTimeout>;

  /** The file chosen. */
  protected file?: File;
  /** The file chosen was over the limit: not sent. */
  protected tooBig?: File;
  /** The column of each field, as the owner chose it (the preview's guess to begin with). */
  protected mapping?: Mapping;
  /** The required fields left without a column when Import was pressed. */
  protected missing: ImportField[] = [];
  /** Send the welcome e-mail to new members (never unless ticked). */
  protected welcome = false;
  /** The import being followed (started here, or found running). */
  protected current?: ImportState;
  /** Milliseconds between two questions about a running import. */
  pollEvery = 1000;

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page: ask again which import is running (willUpdate does, once idle).
    if (this.#history.status !== 'idle') this.#history.reset();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#stopPolling();
  }

  override willUpdate(): void {
    // Asked once `me` says this is the owner (staff would get 403).
    if (this.owner && this.#history.status === 'idle') void this.#loadHistory();
  }

  /** A file previewed whose columns or welcome e-mail were chosen, and not imported yet. */
  override get unsaved(): boolean {
    const guessed = this.#preview.value?.mapping;
    const chosen = !!this.mapping && (this.welcome || JSON.stringify(this.mapping) !== JSON.stringify(guessed));
    return chosen && this.#start.status !== 'complete' && !this.current;
  }

  get #imports(): ImportState[] {
    return this.#history.value?.imports ?? [];
  }

  #stopPolling(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#status.status === 'pending') this.#status.reset();
  }

  async #loadHistory(): Promise<void> {
    await this.#history.run();
    this.checkSession(this.#history);
    if (this.#history.status !== 'complete') return;
    const running = this.#imports.find((i) => i.status === 'running');
    const followed = this.current && this.#imports.find((i) => i.id === this.current!.id);
    if (running) {
      this.current = running;
      this.#poll(running.id, this.pollEvery);
    } else if (followed) this.current = followed;
  }

  /** Asks how far import `id` got in `wait` ms, and again while it runs and the screen is shown. */
  #poll(id: string, wait: number): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(async () => {
      this.#timer = undefined;
      await this.#status.run(id);
      this.checkSession(this.#status);
      const now = this.#status.status === 'complete' ? this.#status.value : undefined;
      if (!now || now.id !== this.current?.id) return;
      this.current = now;
      if (this.#history.value) this.#history.value = { imports: this.#imports.map((i) => (i.id === now.id ? now : i)) };
      if (now.status === 'running' && this.isConnected) this.#poll(id, this.pollEvery);
    }, wait);
  }

  async #pick(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    this.#preview.reset();
    this.#start.reset();
    this.mapping = undefined;
    this.missing = [];
    this.welcome = false;
    this.tooBig = undefined;
    this.file = undefined;
    if (!file) return;
    if (file.size > MAX_BYTES) {
      this.tooBig = file;
      return;
    }
    this.file = file;
    await this.#preview.run(file);
    this.checkSession(this.#preview);
    const p = this.#preview.status === 'complete' ? this.#preview.value : undefined;
    if (p) {
      this.mapping = { ...p.mapping };
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#step2')?.focus();
    }
  }

  #choose(f: ImportField, e: Event): void {
    const column = (e.target as HTMLSelectElement).value;
    this.mapping = { ...this.mapping!, [f]: column || null };
    if (column) this.missing = this.missing.filter((m) => m !== f);
  }

  async #import(): Promise<void> {
    const file = this.file;
    const mapping = this.mapping;
    const total = this.#preview.value?.total ?? 0;
    if (!file || !mapping || this.#start.status === 'pending') return;
    this.missing = FIELDS.filter((f) => REQUIRED.has(f) && !mapping[f]);
    if (this.missing.length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>(`#map-${this.missing[0]}`)?.focus();
      return;
    }
    const query = [
      ...FIELDS.flatMap((f) => (mapping[f] ? [`${f}=${encodeURIComponent(mapping[f])}`] : [])),
      `welcome=${this.welcome}`,
    ].join('&');
    await this.#start.run(file, query);
    this.checkSession(this.#start);
    const started = this.#start.status === 'complete' ? this.#start.value : undefined;
    if (!started) return;
    const state: ImportState = {
      id: started.id,
      status: 'running',
      total,
      done: 0,
      failed: 0,
      created: 0,
      updated: 0,
      unchanged: 0,
      errors: [],
      welcome: this.welcome,
      createdAt: new Date().toISOString(),
      finishedAt: null,
    };
    this.current = state;
    if (this.#history.value) this.#history.value = { imports: [state, ...this.#imports] };
    this.#poll(started.id, 0);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#progress-title')?.focus();
  }

  /** Back to step 1, for another file. */
  async #again(): Promise<void> {
    this.#stopPolling();
    this.#preview.reset();
    this.#start.reset();
    this.#status.reset();
    this.current = this.file = this.tooBig = this.mapping = undefined;
    this.missing = [];
    this.welcome = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#import-file')?.focus();
  }

  /** A failed request: the owner-only line for 403, the server's detail for 400/413/415, else the shared failure. */
  #error(r: RequestState<unknown>) {
    const p = this.problem(r);
    const s = p?.status ?? 0;
    if (s === 403) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    if ((s === 400 || s === 413 || s === 415) && p?.detail) return html`<p class="alert" role="alert">${p.detail}</p>`;
    return this.failure(r);
  }

  #balanceSentence(p: ImportPreview, s: Strings): string {
    if (p.balanceUnit === 'stamps') return s.balanceStamps;
    if (p.balanceUnit === 'points') return s.balancePoints;
    const currency = this.program?.currency ?? 'EUR';
    return s.balanceCashback(currency === 'EUR' ? s.euros : currency);
  }

  #table(p: ImportPreview, s: Strings) {
    return html`<div class="table" role="region" aria-labelledby="rows-caption" tabindex="0">
      <table>
        <caption id="rows-caption">
          ${s.firstRows}
        </caption>
        <thead>
          <tr>
            ${p.columns.map((c) => html`<th scope="col">${c}</th>`)}
          </tr>
        </thead>
        <tbody>
          ${p.rows.map(
            (r) =>
              html`<tr>
                ${p.columns.map((_, i) => html`<td>${r[i] ?? ''}</td>`)}
              </tr>`,
          )}
        </tbody>
      </table>
    </div>`;
  }

  #select(f: ImportField, p: ImportPreview, s: Strings) {
    const names = fieldNames(this.locale);
    const chosen = this.mapping?.[f] ?? null;
    const required = REQUIRED.has(f);
    return field(
      `map-${f}`,
      required ? html`${names[f]} <span class="meta">${s.required}</span>` : names[f],
      (w) =>
        html`<select
          id=${w.id}
          name=${f}
          aria-describedby=${w.describedBy}
          aria-invalid=${w.invalid}
          aria-required=${required ? 'true' : nothing}
          @change=${(e: Event) => this.#choose(f, e)}
        >
          <option value="" ?selected=${chosen === null}>${s.none}</option>
          ${p.columns.map((c) => html`<option value=${c} ?selected=${c === chosen}>${c}</option>`)}
        </select>`,
      {
        hint: f === 'balance' ? this.#balanceSentence(p, s) : undefined,
        error: this.missing.includes(f) ? s.missing(names[f]) : undefined,
      },
    );
  }

  #step2() {
    const s = strings(this.locale);
    const r = this.#preview;
    if (r.status === 'idle') return nothing;
    if (r.status === 'pending') return html`<p class="state" role="status">${s.reading}</p>`;
    if (r.status === 'error' || !r.value) return this.#error(r);
    const p = r.value;
    const busy = this.#start.status === 'pending';
    return html`<section class="stack" aria-labelledby="step2">
      <h3 id="step2" tabindex="-1">${s.step2}</h3>
      <p>${s.found(p.total, this.file?.name ?? '')}</p>
      ${this.#table(p, s)}
      <fieldset>
        <legend>${s.mapping}</legend>
        ${FIELDS.map((f) => this.#select(f, p, s))}
      </fieldset>
      <div class="field">
        <label class="check">
          <input
            type="checkbox"
            name="welcome"
            .checked=${this.welcome}
            aria-describedby="welcome-hint"
            @change=${(e: Event) => (this.welcome = (e.target as HTMLInputElement).checked)}
          />
          <span>${s.welcome}</span>
        </label>
        <p class="hint" id="welcome-hint">${s.welcomeHint}</p>
      </div>
      ${this.#start.status === 'error' ? this.#error(this.#start) : nothing}
      <div class="row">
        <button class="btn" type="button" aria-disabled=${busy} @click=${this.#import}>${busy ? s.starting : s.start(p.total)}</button>
      </div>
    </section>`;
  }

  #picker() {
    const s = strings(this.locale);
    return html`<section class="stack" aria-labelledby="step1">
        <h3 id="step1">${s.step1}</h3>
        ${field(
          'import-file',
          s.file,
          (w) =>
            html`<input
              id=${w.id}
              type="file"
              accept=".csv,text/csv"
              aria-describedby=${w.describedBy}
              aria-invalid=${w.invalid}
              @change=${this.#pick}
            />`,
          { hint: s.fileHint, invalid: Boolean(this.tooBig) },
        )}
        ${this.tooBig ? html`<p class="alert" role="alert">${s.tooBig((this.tooBig.size / 1024 / 1024).toFixed(1))}</p>` : nothing}
      </section>
      ${this.#step2()}`;
  }

  #counts(i: ImportState, s: Strings): string {
    return s.counts(i.created, i.updated, i.unchanged, i.failed);
  }

  #progress(i: ImportState) {
    const s = strings(this.locale);
    const title = i.status === 'running' ? s.progressTitle : i.status === 'done' ? s.doneTitle : s.failedTitle;
    const polling = this.#status;
    return html`<section class="stack" aria-labelledby="progress-title">
      <h3 id="progress-title" tabindex="-1">${title}</h3>
      <progress max=${Math.max(i.total, 1)} value=${i.done} aria-label=${s.progress}></progress>
      <div role="status">
        <p>${s.read(i.done, i.total)}</p>
        <p>${this.#counts(i, s)}</p>
      </div>
      ${i.welcome ? html`<p class="meta">${s.withWelcome}</p>` : nothing}
      ${
        polling.status === 'error' && i.status === 'running'
          ? html`<div class="alert stack" role="alert">
              <p>${this.problem(polling)?.status === 0 ? this.m.offline : s.stillTrying}</p>
              <button class="btn ghost small" type="button" @click=${() => this.#poll(i.id, 0)}>${this.m.retry}</button>
            </div>`
          : nothing
      }
      ${
        i.errors.length
          ? html`<h4 id="lines-title">${s.errors}</h4>
              <ul class="lines" aria-labelledby="lines-title">
                ${i.errors.map((e) => html`<li>${s.line(e.line, e.message)}</li>`)}
              </ul>`
          : nothing
      }
      ${i.status === 'running' ? nothing : html`<button class="btn ghost" type="button" @click=${this.#again}>${s.another}</button>`}
    </section>`;
  }

  #past() {
    const s = strings(this.locale);
    const h = this.#history;
    if (h.status === 'error') return this.#error(h);
    if (h.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    const past = this.#imports.filter((i) => i.id !== this.current?.id);
    const date = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeStyle: 'short' });
    const status = { done: s.statusDone, failed: s.statusFailed, running: s.statusRunning };
    return html`<section class="stack" aria-labelledby="history-title">
      <h3 id="history-title">${s.history}</h3>
      ${
        past.length
          ? html`<ul class="past">
              ${past.map(
                (i) =>
                  html`<li>
                    <strong>${date.format(new Date(i.createdAt))}</strong> · ${status[i.status]} · ${s.read(i.done, i.total)}
                    <span class="meta">· ${this.#counts(i, s)}</span>
                  </li>`,
              )}
            </ul>`
          : html`<p class="hint">${this.current ? s.noOther : s.noHistory}</p>`
      }
    </section>`;
  }

  override render() {
    const s = strings(this.locale);
    if (!this.owner) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    return html`<div class="stack">
      <h2>${s.title}</h2>
      <p>${s.intro}</p>
      ${this.current ? this.#progress(this.current) : this.#picker()} ${this.#past()}
    </div>`;
  }
}

/** The file as `text/csv` (same bytes, no copy): a CSV saved on Windows often comes typed `application/vnd.ms-excel`, or not at all. */
function csv(file: File): Blob {
  return file.type === 'text/csv' ? file : file.slice(0, file.size, 'text/csv');
}

define('fd-import', FdImport);

declare global {
  interface HTMLElementTagNameMap {
    'fd-import': FdImport;
  }
}
