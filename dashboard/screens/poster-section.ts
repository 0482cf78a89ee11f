import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { define } from '../../common/define.ts';
import { type Locale, localize } from '../../common/localize.ts';
import { Request } from '../../common/request.ts';
import { merchantFile } from '../api.ts';
import { ScreenElement } from '../base.ts';

type Size = 'a4' | 'a5';

const SIZES: readonly Size[] = ['a4', 'a5'];
/** Each language by its own name, whatever the dashboard's. */
const LANGUAGES: readonly { locale: Locale; name: string }[] = [
  { locale: 'fr', name: 'Français' },
  { locale: 'en', name: 'English' },
];

const strings = localize({
  title: ['Poster for your counter', 'Affiche pour votre comptoir'],
  intro: [
    'Print it and put it by the till: customers scan its QR code with their phone and join your program on its own page. No website needed.',
    'Imprimez-la et posez-la près de la caisse : vos clients scannent son QR code avec leur téléphone et rejoignent votre programme sur une page dédiée. Pas besoin de site web.',
  ],
  size: ['Paper', 'Format'],
  sizes: [
    { a4: 'A4 (the code is 12 cm wide)', a5: 'A5 (8.5 cm)' },
    { a4: 'A4 (le code fait 12 cm)', a5: 'A5 (8,5 cm)' },
  ],
  language: ['Language of the poster', 'Langue de l’affiche'],
  alt: [
    (size: string) =>
      `Preview of the ${size} poster: your name and logo, your offer, the QR code of your join page and the three steps to join.`,
    (size: string) =>
      `Aperçu de l’affiche ${size} : votre nom et votre logo, votre offre, le QR code de votre page d’inscription et les trois étapes pour s’inscrire.`,
  ],
  pdf: ['Download the PDF (to print)', 'Télécharger le PDF (à imprimer)'],
  png: ['Download the image (PNG)', 'Télécharger l’image (PNG)'],
});

/** The poster's address on this server: its format, paper size and language. */
export const posterPath = (format: 'pdf' | 'png', size: Size, lang: Locale): string => `poster?format=${format}&size=${size}&lang=${lang}`;

/**
 * The poster section of the Website screen (`GET /api/merchant/poster`): a preview of the PNG
 * (fetched with the session, shown as an image), the paper size and the poster's language (the
 * program's by default), and the PDF and PNG as downloads.
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdPosterSection extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em 1.5em;
        min-width: 0;
        padding: 0.75em 1em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      legend {
        padding: 0 0.25em;
        font-weight: 700;
      }
      fieldset label {
        display: inline-flex;
        align-items: center;
        gap: 0.5em;
        min-height: 44px;
        font-weight: 400;
      }
      input[type='radio'] {
        width: 1.25em;
        height: 1.25em;
        margin: 0;
      }
      .preview {
        display: grid;
        place-items: center;
        min-height: 12em;
        padding: 1em;
        border-radius: var(--r);
        background: #f6f8fa;
      }
      .preview img {
        display: block;
        width: 100%;
        max-width: 320px;
        height: auto;
        box-shadow: 0 1px 6px rgb(0 0 0 / 25%);
        background: #fff;
      }
      .preview[aria-busy='true'] img {
        opacity: 0.5;
      }
      .downloads {
        display: grid;
        gap: 0.5em;
      }
      a.btn {
        display: flex;
        align-items: center;
        justify-content: center;
        text-align: center;
        text-decoration: none;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    size: { state: true },
    posterLang: { state: true },
  };

  /** The preview: the PNG of the current choices. */
  #preview = new Request(this, (signal, path: string) => merchantFile(signal, path, 'image/png'));
  /** The address of the last preview asked for, and the image shown (an object URL, freed when replaced). */
  #asked?: string;
  #shown?: { blob: Blob; url: string };

  protected size: Size = 'a4';
  /** The poster's language: the program's until the merchant picks one. */
  protected posterLang?: Locale;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.#free();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Back on the page after leaving it: the image was freed, ask again.
    if (this.#asked && !this.#shown) this.#ask(this.#asked);
  }

  protected override willUpdate(): void {
    if (!this.program) return;
    const path = posterPath('png', this.size, this.#lang);
    if (path !== this.#asked) this.#ask(path);
    // A new image: shown under its own object URL, the previous one freed.
    const blob = this.#preview.value;
    if (this.#preview.status === 'complete' && blob && blob !== this.#shown?.blob) {
      this.#free();
      this.#shown = { blob, url: URL.createObjectURL(blob) };
    }
  }

  get #lang(): Locale {
    return this.posterLang ?? this.program?.locale ?? this.locale;
  }

  #ask(path: string): void {
    this.#asked = path;
    void this.#preview.run(path).then(() => this.checkSession(this.#preview));
  }

  #free(): void {
    if (this.#shown) URL.revokeObjectURL(this.#shown.url);
    this.#shown = undefined;
  }

  #previewState() {
    const r = this.#preview;
    if (r.status === 'error') return this.failure(r);
    if (r.status === 'pending') return html`<p class="state" role="status">${this.m.loading}</p>`;
    return nothing;
  }

  override render() {
    const t = strings(this.locale);
    if (!this.program) return html`<p class="state" role="status">${this.m.loading}</p>`;
    const lang = this.#lang;
    const busy = this.#preview.status === 'pending';
    const shown = this.#shown && this.#preview.status !== 'error' ? this.#shown : undefined;
    return html`<section class="stack" aria-labelledby="poster-title">
      <h2 id="poster-title">${t.title}</h2>
      <p>${t.intro}</p>
      <fieldset>
        <legend>${t.size}</legend>
        ${SIZES.map(
          (size) =>
            html`<label
              ><input type="radio" name="size" value=${size} .checked=${this.size === size} @change=${() => (this.size = size)} />
              ${t.sizes[size]}</label
            >`,
        )}
      </fieldset>
      <fieldset>
        <legend>${t.language}</legend>
        ${LANGUAGES.map(
          ({ locale, name }) =>
            html`<label lang=${locale}
              ><input
                type="radio"
                name="poster-lang"
                value=${locale}
                .checked=${lang === locale}
                @change=${() => (this.posterLang = locale)}
              />
              ${name}</label
            >`,
        )}
      </fieldset>
      <div class="preview" aria-busy=${busy}>
        ${shown ? html`<img src=${shown.url} alt=${t.alt(this.size.toUpperCase())} width="420" height="594" />` : nothing}
        ${this.#previewState()}
      </div>
      <div class="downloads">
        <a class="btn" href="/api/merchant/${posterPath('pdf', this.size, lang)}" download>${t.pdf}</a>
        <a class="btn ghost" href="/api/merchant/${posterPath('png', this.size, lang)}" download>${t.png}</a>
      </div>
    </section>`;
  }
}

define('fd-poster-section', FdPosterSection);

declare global {
  interface HTMLElementTagNameMap {
    'fd-poster-section': FdPosterSection;
  }
}
