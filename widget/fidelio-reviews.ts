import { css, html, nothing, type PropertyValues, type PropertyDeclarations } from 'lit';
import type { ReviewsPage } from '../common/api.ts';
import { Request } from '../common/request.ts';
import { call } from './api.ts';
import { FidelioElement } from './base.ts';

const stars = (n: number) => '★'.repeat(n) + '☆'.repeat(5 - n);

/**
 * The program's approved reviews (the newest `limit`) and their average rating, "Verified visit"
 * on those a member wrote after a visit. For search engines, the server's schema.org
 * `AggregateRating` JSON-LD goes in a `<script type="application/ld+json">` child of the element
 * (the light DOM: a shadow root is not read): one script, rewritten on each load, none while
 * there are no reviews.
 *
 * @csspart base - the element's box
 * @csspart error - an error message
 * @cssproperty --fidelio-primary - the "more" button's colour
 * @cssproperty --fidelio-radius - corner radius
 * @cssproperty --fidelio-font - font family
 */
export class FidelioReviews extends FidelioElement {
  static override get styles() {
    return [
      FidelioElement.styles,
      css`
        .stars {
          color: #b45309;
          letter-spacing: 0.1em;
        }
        ul {
          list-style: none;
        }
        li {
          padding: 0.75em 0;
          border-top: 1px solid #d0d7de;
        }
        .text {
          white-space: pre-line;
          overflow-wrap: anywhere;
        }
        /* Loading, empty or failed: the same room (common/embed.ts keeps it before the script). */
        .list {
          min-height: 6em;
        }
      `,
    ];
  }

  static override get properties(): PropertyDeclarations {
    return {
      program: {},
      limit: { type: Number },
    };
  }

  #list = new Request(this, async (signal, slug: string) => {
    const page = await call<ReviewsPage>(this.url('programs', slug, `/reviews?limit=${this.limit}`), signal);
    // The light DOM holds only this script (the element has no slot).
    if (page.structuredData) {
      this.replaceChildren(
        Object.assign(document.createElement('script'), { type: 'application/ld+json', text: JSON.stringify(page.structuredData) }),
      );
    }
    return page;
  });

  /** The program's slug. */
  program = '';
  /** Reviews per page. */
  limit = 5;

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('program') && !changed.has('api') && !changed.has('limit')) return;
    this.#list.reset();
    this.replaceChildren();
    if (this.program) void this.#list.run(this.program);
  }

  #view(page: ReviewsPage) {
    const m = this.m;
    const date = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium' });
    // As tall as the loading state (`.state`): the page does not move when it turns out empty.
    if (!page.count || page.average == null) return html`<p class="state">${m.noReviews}</p>`;
    const avg = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 }).format(page.average);
    return html`<p><span class="stars" aria-hidden="true">${stars(Math.round(page.average))}</span> ${m.average(avg, page.count)}</p>
      <ul>
        ${page.reviews.map(
          (r) =>
            html`<li class="stack">
              <p class="stars" role="img" aria-label=${m.outOf5(r.rating)}>${stars(r.rating)}</p>
              ${r.verified ? html`<p class="muted">${m.verified}</p>` : nothing}
              ${r.text ? html`<p class="text" dir="auto">${r.text}</p>` : nothing}
              <p class="muted">
                <span dir="auto">${r.name || m.aCustomer}</span>, <time datetime=${r.createdAt}>${date.format(new Date(r.createdAt))}</time>
              </p>
            </li>`,
        )}
      </ul>`;
  }

  override render() {
    return html`<div part="base" class="base stack">
      <h2>${this.m.reviewsTitle}</h2>
      <div class="list stack">${this.states(this.#list, (page) => this.#view(page))}</div>
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-reviews': FidelioReviews;
  }
}
