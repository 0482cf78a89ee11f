import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { define } from '../../common/define.ts';
import { REVIEWS_ROOM, WIDGET_ROOM } from '../../common/embed.ts';
import { localize } from '../../common/localize.ts';
import { Request } from '../../common/request.ts';
import { ScreenElement } from '../base.ts';
import './poster-section.ts';

const strings = localize({
  intro: [
    'Paste these two lines into your website where the loyalty card should appear. Visitors join there, then see their card.',
    'Collez ces deux lignes dans votre site, là où la carte de fidélité doit apparaître. Les visiteurs s’y inscrivent, puis retrouvent leur carte.',
  ],
  snippet: ['Code to paste', 'Code à coller'],
  reviewsTitle: ['Show your reviews too', 'Afficher aussi vos avis'],
  reviewsIntro: [
    'Under the same script line, this element lists the reviews you approved, with their average.',
    'Sous la même ligne de script, cet élément affiche les avis que vous avez approuvés, avec leur moyenne.',
  ],
  reviewsSnippet: ['Code for the reviews', 'Code pour les avis'],
  surveyTitle: ['Ask one question', 'Poser une question'],
  surveyIntro: [
    'Under the same script line, this element asks your visitors one question and adds the answers to your scores. Pick the question:',
    'Sous la même ligne de script, cet élément pose une question à vos visiteurs et ajoute les réponses à vos scores. Choisissez la question :',
  ],
  surveyKinds: [
    { nps: 'Would you recommend us? (0–10)', csat: 'How satisfied are you? (1–5)', ces: 'Was it easy? (1–5)' },
    { nps: 'Nous recommanderiez-vous ? (0–10)', csat: 'Êtes-vous satisfait ? (1–5)', ces: 'Était-ce facile ? (1–5)' },
  ],
  surveySnippet: ['Code for the question', 'Code pour la question'],
  copySurvey: ['Copy the question’s code', 'Copier le code de la question'],
  copy: ['Copy', 'Copier'],
  copyReviews: ['Copy the reviews code', 'Copier le code des avis'],
  copied: ['Copied.', 'Copié.'],
  copyFailed: [
    'Copying is not allowed here: the code is selected, copy it with Ctrl+C (or ⌘C).',
    'La copie est bloquée ici : le code est sélectionné, copiez-le avec Ctrl+C (ou ⌘C).',
  ],
  origins: [
    'The widget works only on the websites listed in the allowed origins of your program (for example https://www.your-cafe.fr).',
    'Le widget ne fonctionne que sur les sites autorisés dans votre programme (par exemple https://www.votre-cafe.fr).',
  ],
  allowedNow: [(list: string) => `Allowed now: ${list}.`, (list: string) => `Actuellement autorisés : ${list}.`],
  noneYet: ['None yet.', 'Aucun pour l’instant.'],
  editOrigins: ['Edit the allowed origins', 'Modifier les sites autorisés'],
  previewTitle: ['Preview', 'Aperçu'],
  previewHint: [
    'This is the real widget of your program: joining here creates a real card.',
    'Voici le vrai widget de votre programme : s’inscrire ici crée une vraie carte.',
  ],
  previewFailed: [
    'The preview could not be loaded (is the widget built? run npm run build).',
    'L’aperçu n’a pas pu être chargé (le widget est-il construit ? lancez npm run build).',
  ],
  demo: ['Try it on a test page', 'L’essayer sur une page de test'],
  demoHint: ['(the demo café’s page, in development only)', '(la page du café de démonstration, en développement seulement)'],
});

const SURVEY_KINDS = ['nps', 'csat', 'ces'] as const;
type Snippet = 'widget' | 'reviews' | 'survey';

/** The widget's script, on this server: the dashboard's origin is the server's public origin. */
const widgetUrl = (): string => `${location.origin}/widget.js`;

/**
 * The "Website" screen (owner only): the exact snippet to paste into the merchant's site, with
 * this server's origin and the program's slug, a Copy button, a reminder about the allowed
 * origins, and a live preview: the real widget loaded into this page (the dashboard's origin
 * is the server's own, which the program always allows). In development, a link opens the demo
 * café's page showing this program's widget. Then the poster for the counter (`<fd-poster-section>`),
 * for a shop with no website: its QR code opens the program's join page.
 */
export class FdEmbed extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      pre {
        overflow-x: auto;
        padding: 0.75em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
        background: #f6f8fa;
        font:
          0.875em/1.5 ui-monospace,
          monospace;
        /* Wrapped on a phone; Copy takes the text itself, line breaks as written. */
        white-space: pre-wrap;
        overflow-wrap: anywhere;
      }
      .preview {
        padding: 1em;
        border: 2px dashed #d0d7de;
        border-radius: var(--r);
      }
      a {
        color: var(--p);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    copied: { state: true },
    surveyKind: { state: true },
  };

  /** The widget's code, loaded once into this page for the preview. */
  #widget = new Request(this, async () => {
    await import(/* @vite-ignore */ this.widgetSrc);
  });
  /** Is the demo page served here (development)? */
  #demo = new Request(this, async (signal) => (await fetch('/demo/', { signal })).ok);

  /** Which snippet was just copied, and how. */
  protected copied?: { which: Snippet; ok: boolean };
  /** The survey element's question. */
  protected surveyKind: (typeof SURVEY_KINDS)[number] = 'nps';
  /** Where the preview loads the widget from: this server's `/widget.js` (tests give the sources). */
  widgetSrc = widgetUrl();

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#widget.status !== 'complete') void this.#widget.run();
    if (this.#demo.status === 'idle') void this.#demo.run();
  }

  /** The lines to paste: the script, then the widget element. */
  get snippet(): string {
    return `<script type="module" src="${widgetUrl()}"></script>\n<fidelio-widget program="${this.program?.slug ?? ''}" style="${WIDGET_ROOM}"></fidelio-widget>`;
  }

  /** The reviews element (the same script line loads it). */
  get reviewsSnippet(): string {
    return `<fidelio-reviews program="${this.program?.slug ?? ''}" style="${REVIEWS_ROOM}"></fidelio-reviews>`;
  }

  /** The survey element, asking the question chosen (the same script line loads it). */
  get surveySnippet(): string {
    return `<fidelio-survey program="${this.program?.slug ?? ''}" kind="${this.surveyKind}"></fidelio-survey>`;
  }

  async #copy(which: Snippet): Promise<void> {
    const text = which === 'widget' ? this.snippet : which === 'reviews' ? this.reviewsSnippet : this.surveySnippet;
    try {
      await navigator.clipboard.writeText(text);
      this.copied = { which, ok: true };
    } catch {
      // No clipboard (http page, refused permission): select the code for Ctrl+C.
      const pre = this.renderRoot.querySelector(`#${which}`)!;
      const range = document.createRange();
      range.selectNodeContents(pre);
      const selection = getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      this.copied = { which, ok: false };
    }
  }

  /** The Copy button of one snippet and, once pressed, what happened (announced). */
  #copyButton(which: Snippet, label: string) {
    const s = strings(this.locale);
    const c = this.copied?.which === which ? this.copied : undefined;
    return html`<button class="btn ghost small" type="button" @click=${() => this.#copy(which)}>${label}</button>
      <p role="status" class=${c ? (c.ok ? 'alert ok' : 'alert') : ''}>${c ? (c.ok ? s.copied : s.copyFailed) : nothing}</p>`;
  }

  #preview() {
    const s = strings(this.locale);
    const w = this.#widget;
    if (w.status === 'error') return html`<p class="alert" role="alert">${s.previewFailed}</p>`;
    if (w.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    return html`<fidelio-widget program=${this.program?.slug ?? ''} lang=${this.locale}></fidelio-widget>`;
  }

  override render() {
    const s = strings(this.locale);
    const p = this.program;
    if (!p) return html`<p class="state" role="status">${this.m.loading}</p>`;
    const origins = p.allowedOrigins;
    const demo = `/demo/?program=${encodeURIComponent(p.slug)}`;
    return html`<div class="stack">
      <section class="stack" aria-labelledby="snippet-title">
        <h2 id="snippet-title">${s.snippet}</h2>
        <p>${s.intro}</p>
        <pre id="widget" tabindex="0" aria-labelledby="snippet-title"><code>${this.snippet}</code></pre>
        ${this.#copyButton('widget', s.copy)}
        <p>${s.origins}</p>
        <p>${origins.length ? s.allowedNow(origins.join(', ')) : s.noneYet} <a href="#program">${s.editOrigins}</a></p>
      </section>
      <section class="stack" aria-labelledby="preview-title">
        <h2 id="preview-title">${s.previewTitle}</h2>
        <p class="hint">${s.previewHint}</p>
        <div class="preview">${this.#preview()}</div>
        ${this.#demo.value ? html`<p><a href=${demo} target="_blank" rel="noopener">${s.demo}</a> ${s.demoHint}</p>` : nothing}
      </section>
      <section class="stack" aria-labelledby="reviews-title">
        <h2 id="reviews-title">${s.reviewsTitle}</h2>
        <p>${s.reviewsIntro}</p>
        <pre id="reviews" tabindex="0" aria-label=${s.reviewsSnippet}><code>${this.reviewsSnippet}</code></pre>
        ${this.#copyButton('reviews', s.copyReviews)}
      </section>
      <section class="stack" aria-labelledby="survey-title">
        <h2 id="survey-title">${s.surveyTitle}</h2>
        <p id="survey-intro">${s.surveyIntro}</p>
        <select
          id="survey-kind"
          aria-labelledby="survey-intro"
          @change=${(e: Event) => (this.surveyKind = (e.target as HTMLSelectElement).value as (typeof SURVEY_KINDS)[number])}
        >
          ${SURVEY_KINDS.map((k) => html`<option value=${k} ?selected=${k === this.surveyKind}>${s.surveyKinds[k]}</option>`)}
        </select>
        <pre id="survey" tabindex="0" aria-label=${s.surveySnippet}><code>${this.surveySnippet}</code></pre>
        ${this.#copyButton('survey', s.copySurvey)}
      </section>
      <fd-poster-section lang=${this.locale} .program=${p} .me=${this.me}></fd-poster-section>
    </div>`;
  }
}

define('fd-embed', FdEmbed);

declare global {
  interface HTMLElementTagNameMap {
    'fd-embed': FdEmbed;
  }
}
