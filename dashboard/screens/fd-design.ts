import { css, html, nothing } from 'lit';
import { live } from 'lit/directives/live.js';
import { contrastRatio, HEX, MIN_CONTRAST } from '../../common/colour.ts';
import { define } from '../../common/define.ts';
import { Request } from '../../common/request.ts';
import { merchant, type MerchantProblem } from '../api.ts';
import './preview-pass.ts';
import { field } from '../field.ts';
import { getPath, ProgramForm, setPath } from './program-form.ts';

/** What the server takes as a logo (`server/services/logos.ts`): checked here first, so a wrong file is never sent. */
export const LOGO_TYPES = ['image/png', 'image/jpeg'];
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;

/** The three colours of a pass design. */
type Colour = 'backgroundColor' | 'foregroundColor' | 'labelColor';

/** "3b2f2f", "#3B2F2F" → "#3b2f2f"; undefined unless it is a colour. */
export function parseHex(text: string): string | undefined {
  const t = text.trim();
  const hex = t.startsWith('#') ? t : `#${t}`;
  return HEX.test(hex) ? hex.toLowerCase() : undefined;
}

/**
 * The pass designer (owner only): the colours of the passes (background, text, labels), with a
 * warning when text or labels are hard to read on the background (WCAG contrast under 4.5:1);
 * the texts they show; the logo (PNG or JPEG up to 2 MB, checked here before it is sent:
 * `PUT /api/merchant/program/logo`, removed with `DELETE`); a live preview of the Apple Wallet
 * and Google Wallet cards. Save sends the whole program (`PUT /api/merchant/program`) and
 * re-issues every pass; so does a logo change.
 *
 * @event fd-program-changed - the program (or its logo) was saved; its detail is the program as now stored.
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdDesign extends ProgramForm {
  static override styles = [
    ProgramForm.styles,
    css`
      .colour {
        display: flex;
        gap: 0.5em;
        align-items: center;
      }
      .colour input[type='color'] {
        flex: none;
        width: 48px;
        height: 48px;
        padding: 2px;
        border: 1px solid #6e7781;
        border-radius: 8px;
        background: #fff;
      }
      .colour input:not([type='color']) {
        font-family: ui-monospace, monospace;
      }
      .warn {
        padding: 0.5em 0.75em;
        border-left: 4px solid #9a6700;
        border-radius: 4px;
        background: #fff8c5;
        font-weight: 600;
      }
      .logo-now {
        display: flex;
        align-items: center;
        gap: 1em;
      }
      .logo-now img {
        width: 75px;
        height: 75px;
        object-fit: contain;
        border: 1px solid #d0d7de;
        border-radius: 8px;
        background: repeating-conic-gradient(#f6f8fa 0% 25%, #fff 0% 50%) 50% / 16px 16px;
      }
      .field input[type='file'] {
        min-height: auto;
        padding: 0.5em;
      }
    `,
  ];

  /** The last logo change, for its message. */
  #logoAction: 'upload' | 'remove' = 'upload';
  /** The file being sent, for the size in a 413's message. */
  #logoFile?: File;
  /** A file refused here, before any request. */
  #logoRefused = '';
  #logo = new Request(this, async (signal, file: File | null): Promise<string | null> => {
    if (!file) {
      await merchant<void>(signal, 'DELETE', 'program/logo');
      return null;
    }
    return (await merchant<{ logoUrl: string }>(signal, 'PUT', 'program/logo', { raw: file })).logoUrl;
  });

  protected override get busy(): boolean {
    return this.#logo.status === 'pending';
  }

  #size(bytes: number): string {
    const mb = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 }).format(bytes / 1024 / 1024);
    return this.locale === 'fr' ? `${mb} Mo` : `${mb} MB`;
  }

  /** Why this file cannot be a logo, or '' when it may be sent. */
  #refusal(file: File): string {
    const t = this.t;
    const type = file.type.toLowerCase();
    if (type === 'image/svg+xml' || /\.svg$/i.test(file.name)) return t.logoSvg;
    if (!LOGO_TYPES.includes(type)) return t.logoType(type || file.name.split('.').pop() || '?');
    if (file.size > MAX_LOGO_BYTES) return t.logoTooBig(this.#size(file.size));
    return '';
  }

  async #pickLogo(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (!file || this.busy || this.saving) return;
    this.#logoRefused = this.#refusal(file);
    if (this.#logoRefused) {
      this.#logo.reset();
      input.value = '';
      return;
    }
    this.#logoAction = 'upload';
    this.#logoFile = file;
    await this.#changeLogo(file);
    input.value = ''; // the same file can be picked again
  }

  async #removeLogo(): Promise<void> {
    if (this.busy || this.saving) return;
    this.#logoRefused = '';
    this.#logoAction = 'remove';
    await this.#changeLogo(null);
  }

  /** Sends the logo (or its removal); the stored program, the draft and the preview take the new address. */
  async #changeLogo(file: File | null): Promise<void> {
    await this.#logo.run(file);
    this.checkSession(this.#logo);
    if (this.#logo.status !== 'complete' || !this.program) return;
    const url = this.#logo.value ?? null;
    if (this.draft) this.draft = setPath(this.draft, 'design.logoUrl', url);
    this.programSaved(setPath(this.program, 'design.logoUrl', url));
  }

  /** The logo request's outcome. */
  #logoOutcome() {
    const t = this.t;
    const r = this.#logo;
    if (this.#logoRefused) return html`<p class="alert" role="alert">${this.#logoRefused}</p>`;
    if (r.status === 'pending') return html`<p class="hint" role="status">${t.logoUploading}</p>`;
    if (r.status === 'complete')
      return html`<p class="alert ok" role="status">${this.#logoAction === 'upload' ? t.logoSaved : t.logoRemoved}</p>`;
    if (r.status !== 'error') return nothing;
    const s = r.error?.status ?? 0;
    const detail = (r.error as MerchantProblem).detail;
    const text =
      s === 403
        ? t.notOwner
        : s === 415
          ? detail || t.logoSvg
          : s === 413
            ? t.logoTooBig(this.#size(this.#logoFile?.size ?? 0))
            : s === 400
              ? `${t.logoNotImage}${detail}`
              : s && s < 500 && s !== 429 && detail
                ? detail
                : undefined;
    return this.failure(r, text);
  }

  #logoSection() {
    const t = this.t;
    const url = this.draft!.design.logoUrl;
    const busy = this.busy || this.saving;
    return html`<section aria-labelledby="logo-title">
      <h3 id="logo-title">${t.logo}</h3>
      ${
        url
          ? html`<div class="logo-now">
              <img src=${url} alt=${t.logoCurrent} />
              <button class="btn ghost small" type="button" aria-disabled=${busy ? 'true' : 'false'} @click=${this.#removeLogo}>
                ${t.removeLogo}
              </button>
            </div>`
          : html`<p class="hint">${t.logoNone}</p>`
      }
      ${field(
        'logo-file',
        t.logoFile,
        (w) =>
          html`<input
            id=${w.id}
            type="file"
            accept="image/png,image/jpeg"
            aria-describedby=${w.describedBy}
            aria-disabled=${busy ? 'true' : 'false'}
            @change=${this.#pickLogo}
          />`,
        { hint: t.logoHint },
      )}
      ${this.#logoOutcome()}
    </section>`;
  }

  /** A colour: a picker and its hex code (where the errors go). */
  #colour(key: Colour, label: string) {
    const path = `design.${key}`;
    const value = getPath(this.draft, path) as string;
    const text = this.rawText(path) ?? value;
    return this.field(
      path,
      label,
      {},
      (w) =>
        html`<div class="colour">
          <input
            type="color"
            id="picker-${key}"
            aria-label=${this.t.picker(label)}
            .value=${live(HEX.test(value) ? value.toLowerCase() : '#000000')}
            @input=${(e: Event) => this.choose(path, (e.target as HTMLInputElement).value)}
          />
          <input
            id=${w.id}
            autocomplete="off"
            spellcheck="false"
            maxlength="7"
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            .value=${live(text)}
            @input=${(e: Event) => this.typed(path, (e.target as HTMLInputElement).value, parseHex, this.t.hexFormat)}
          />
        </div>`,
    );
  }

  /** Warnings for text or labels that are hard to read on the background. */
  #contrast() {
    const t = this.t;
    const d = this.draft!.design;
    if (![d.backgroundColor, d.foregroundColor, d.labelColor].every((c) => HEX.test(c))) return nothing;
    const ratio = (c: string) => contrastRatio(c, d.backgroundColor);
    const shown = (r: number) => new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 }).format(Math.floor(r * 10) / 10);
    const text = ratio(d.foregroundColor);
    const labels = ratio(d.labelColor);
    const warnings = [
      text < MIN_CONTRAST ? t.lowContrast('text', shown(text)) : '',
      labels < MIN_CONTRAST ? t.lowContrast('labels', shown(labels)) : '',
    ].filter(Boolean);
    return html`<div role="status" part="contrast">
      ${
        warnings.length
          ? warnings.map((w) => html`<p class="warn">${w}</p>`)
          : html`<p class="hint">${t.contrastOk(shown(text), shown(labels))}</p>`
      }
    </div>`;
  }

  protected override fields() {
    const t = this.t;
    const p = this.draft!;
    return html`<section>
        <h2>${t.designTitle}</h2>
        <p class="hint">${t.designIntro}</p>
        <section aria-label=${t.previewTitle}>
          <fd-pass-preview lang=${this.locale} .program=${p} merchant-name=${this.me?.merchant?.name ?? ''}></fd-pass-preview>
          <p class="hint">${t.previewNote}</p>
        </section>
      </section>
      <section>
        <fieldset id=${this.group('design', t.colours)}>
          <legend>${t.colours}</legend>
          <div class="pair">
            ${this.#colour('backgroundColor', t.backgroundColor)} ${this.#colour('foregroundColor', t.foregroundColor)}
            ${this.#colour('labelColor', t.labelColor)}
          </div>
          ${this.#contrast()}
        </fieldset>
      </section>
      <section>
        <h3>${t.texts}</h3>
        ${this.textField('name', t.name, { hint: t.nameHint, maxlength: 100 })}
        ${p.type === 'stamps' ? this.textField('reward.name', t.rewardName, { hint: t.rewardNameHint, maxlength: 100 }) : nothing}
        ${this.textField('address', t.address, { multiline: true, nullable: true, maxlength: 300, hint: t.backOfPass })}
        ${this.textField('terms', t.terms, { multiline: true, nullable: true, maxlength: 2000, hint: t.backOfPass })}
      </section>
      ${this.#logoSection()}`;
  }
}

define('fd-design', FdDesign);

declare global {
  interface HTMLElementTagNameMap {
    'fd-design': FdDesign;
  }
}
