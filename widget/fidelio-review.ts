import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { ReviewBody } from '../common/api.ts';
import { Request } from '../common/request.ts';
import { FidelioElement } from './base.ts';

/**
 * A review form: 1 to 5 stars (a radio group) and a text. Reviews are published once the
 * merchant approves them. After sending, every reviewer — whatever the rating — is offered the
 * merchant's Google review link when there is one.
 *
 * @event fidelio-review-submit - A review was sent; `detail` is `{ rating }`.
 * @csspart base - the element's box
 * @csspart error - an error message
 * @cssproperty --fidelio-primary - the button's colour
 * @cssproperty --fidelio-radius - corner radius
 * @cssproperty --fidelio-font - font family
 */
export class FidelioReview extends FidelioElement {
  static override get styles() {
    return [
      FidelioElement.styles,
      css`
        .stars label,
        .stars label:has(:checked) {
          min-width: 40px;
          padding: 0;
          border: 0;
          background: none;
          color: #6e7781;
          font-size: 2em;
          line-height: 1;
        }
        .stars .on,
        .stars .on:has(:checked) {
          color: #b45309;
        }
      `,
    ];
  }

  static override get properties(): PropertyDeclarations {
    return {
      rating: { state: true },
      program: {},
      cardSerial: { attribute: 'card-serial' },
      name: {},
      googleReviewUrl: { attribute: 'google-review-url' },
    };
  }

  #send = new Request(this, async (signal, body: ReviewBody) => {
    const answer = await this.post<{ id: string; googleReviewUrl?: string | null }>(
      signal,
      this.url('programs', this.program, '/reviews'),
      body,
      '.ok',
    );
    this.emit('fidelio-review-submit', { rating: body.rating });
    return answer;
  });

  private rating = 0;

  /** The program's slug. */
  program = '';
  /** The reviewer's card, if a member. */
  cardSerial = '';
  /** The reviewer's name, filled in for them. */
  name = '';
  /** The merchant's Google review page, offered after sending (the API's answer may name one too). */
  googleReviewUrl = '';

  #onSubmit = (e: SubmitEvent): void => {
    const v = this.read(e, this.#send, { rating: this.m.pick });
    if (v) void this.#send.run({ rating: this.rating, text: v.text, name: v.name, cardSerial: this.cardSerial || undefined });
  };

  #thanks(google: string | null | undefined) {
    const m = this.m;
    const url = google || this.googleReviewUrl;
    return html`<p class="alert ok" tabindex="-1">${m.reviewThanks}</p>
      ${/^https?:/.test(url) ? html`<a class="btn" href=${url} target="_blank" rel="noopener">${m.google}</a>` : nothing}`;
  }

  override render() {
    const m = this.m;
    const s = this.#send;
    return html`<div part="base" class="base stack">
      <h2>${m.reviewTitle}</h2>
      ${
        s.status === 'complete'
          ? this.#thanks(s.value?.googleReviewUrl)
          : html`<form class="stack" novalidate @submit=${this.#onSubmit}>
              <div class="stars">
                ${this.scale(
                  'rating',
                  m.rating,
                  [1, 2, 3, 4, 5],
                  (v) => html`<span aria-hidden="true">★</span><span class="sr">${m.stars(v)}</span>`,
                  (v) => (this.rating = v),
                  undefined,
                  (v) => v <= this.rating,
                )}
              </div>
              ${this.field('text', m.reviewText, 'textarea', { max: 2000 })}
              ${this.field('name', m.yourName, 'text', { auto: 'name', max: 100, value: this.name })} ${this.submit(s, m.send)}
            </form>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-review': FidelioReview;
  }
  interface GlobalEventHandlersEventMap {
    'fidelio-review-submit': CustomEvent<{ rating: number }>;
  }
}
