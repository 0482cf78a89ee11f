import { html, type PropertyDeclarations } from 'lit';
import type { SurveyBody, SurveyKind } from '../common/api.ts';
import { Request } from '../common/request.ts';
import { FidelioElement } from './base.ts';

/**
 * A one-question survey: `kind="nps"` (0–10, would you recommend us), `csat` (1–5, how
 * satisfied) or `ces` (1–5, how easy), with an optional comment.
 *
 * @event fidelio-survey-submit - An answer was sent; `detail` is `{ kind, score }`.
 * @csspart base - the element's box
 * @csspart error - an error message
 * @cssproperty --fidelio-primary - the selected score and the button
 * @cssproperty --fidelio-radius - corner radius
 * @cssproperty --fidelio-font - font family
 */
export class FidelioSurvey extends FidelioElement {
  static override get properties(): PropertyDeclarations {
    return {
      score: { state: true },
      program: {},
      kind: {},
      cardSerial: { attribute: 'card-serial' },
    };
  }

  #send = new Request(this, async (signal, body: SurveyBody) => {
    const answer = await this.post<{ id: string }>(signal, this.url('programs', this.program, '/surveys'), body, '.ok');
    this.emit('fidelio-survey-submit', { kind: body.kind, score: body.score });
    return answer;
  });

  private score = -1;

  /** The program's slug. */
  program = '';
  /** `nps`, `csat` or `ces`. */
  kind: SurveyKind = 'nps';
  /** The respondent's card, if a member. */
  cardSerial = '';

  get #survey(): SurveyKind {
    return this.kind === 'csat' || this.kind === 'ces' ? this.kind : 'nps';
  }

  #onSubmit = (e: SubmitEvent): void => {
    const v = this.read(e, this.#send, { score: this.m.pick });
    if (v) void this.#send.run({ kind: this.#survey, score: this.score, comment: v.comment, cardSerial: this.cardSerial || undefined });
  };

  override render() {
    const m = this.m;
    const s = this.#send;
    const k = this.#survey;
    const values = k === 'nps' ? [...Array(11).keys()] : [1, 2, 3, 4, 5];
    return html`<div part="base" class="base">
      ${
        s.status === 'complete'
          ? html`<p class="alert ok" tabindex="-1">${m.surveyThanks}</p>`
          : html`<form class="stack" novalidate @submit=${this.#onSubmit}>
              ${this.scale(
                'score',
                m[k],
                values,
                (v) => v,
                (v) => (this.score = v),
                [m[`${k}Low` as const], m[`${k}High` as const]],
              )}
              ${this.field('comment', m.comment, 'textarea', { max: 1000 })} ${this.submit(s, m.send)}
            </form>`
      }
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-survey': FidelioSurvey;
  }
  interface GlobalEventHandlersEventMap {
    'fidelio-survey-submit': CustomEvent<{ kind: SurveyKind; score: number }>;
  }
}
