import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { Kpis, ModeratedReview, ModeratedReviewsPage, ReviewStatus } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { Request } from '../../common/request.ts';
import { merchant } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { formatKpi, kpiStrings } from './kpi-text.ts';

const STATUSES: ReviewStatus[] = ['pending', 'approved', 'rejected'];

/** A tab's reviews as loaded so far, and where the next page starts. */
interface Loaded {
  items: ModeratedReview[];
  next: string | null;
}

const SCORES = ['nps', 'csat', 'ces'] as const;
const PAGE = 20;
/** The scores cover the last 90 days: a recent picture, with enough answers to mean something. */
const SCORE_DAYS = 90;

const text = localize({
  title: ['Reviews', 'Avis'],
  verified: ['Verified visit', 'Visite vérifiée'],
  scores: ['Survey scores, last 90 days', 'Scores des enquêtes sur les 90 derniers jours'],
  noAnswer: ['No answers in the last 90 days.', 'Aucune réponse ces 90 derniers jours.'],
  show: ['Show', 'Afficher'],
  tabs: [
    { pending: 'To moderate', approved: 'Published', rejected: 'Rejected' },
    { pending: 'À modérer', approved: 'Publiés', rejected: 'Refusés' },
  ],
  empty: [
    { pending: 'No review waiting: all caught up.', approved: 'No published review yet.', rejected: 'No rejected review.' },
    { pending: 'Aucun avis en attente : tout est à jour.', approved: 'Aucun avis publié pour l’instant.', rejected: 'Aucun avis refusé.' },
  ],
  pendingHint: [
    'New reviews wait here until you approve them; only approved reviews are shown on your website.',
    'Les nouveaux avis attendent ici votre accord ; seuls les avis approuvés s’affichent sur votre site.',
  ],
  rating: [(n: number) => `Rated ${n} out of 5`, (n: number) => `Noté ${n} sur 5`],
  anonymous: ['Anonymous', 'Anonyme'],
  noText: ['(no comment)', '(sans commentaire)'],
  approve: ['Approve', 'Approuver'],
  reject: ['Reject', 'Refuser'],
  approveAgain: ['Publish after all', 'Publier finalement'],
  unpublish: ['Unpublish', 'Retirer'],
  approved: [
    (who: string) => `Review by ${who} approved: it now shows on your website.`,
    (who: string) => `Avis de ${who} approuvé : il s’affiche maintenant sur votre site.`,
  ],
  rejected: [(who: string) => `Review by ${who} rejected: it stays hidden.`, (who: string) => `Avis de ${who} refusé : il reste masqué.`],
  gone: ['This review no longer exists: it was deleted meanwhile.', 'Cet avis n’existe plus : il a été supprimé entre-temps.'],
  more: ['Load more', 'Afficher plus'],
});

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/**
 * Moderation of the customers' reviews: the pending ones first (newest first, as the server
 * gives them), each approved or rejected with one tap; the published and rejected ones on
 * their own tabs, a page at a time. Above, the NPS, CSAT and CES of the last 90 days, each
 * with one line on what it means. `GET /api/merchant/reviews`, `PATCH /api/merchant/reviews/:id`,
 * `GET /api/merchant/kpis`.
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdReviews extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      .tabs {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      .tabs [aria-pressed='true'] {
        background: var(--p);
        color: var(--po);
      }
      .scores {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10em, 1fr));
        gap: 0.75em;
        padding: 0;
        list-style: none;
      }
      .scores li,
      .review {
        padding: 0.75em;
        border: 1px solid #d0d7de;
        border-radius: var(--r);
      }
      .scores h3 {
        font-size: 0.875em;
      }
      .value {
        font-size: 1.75em;
        font-weight: 700;
        line-height: 1.2;
      }
      ul.reviews {
        padding: 0;
        list-style: none;
      }
      .stars {
        color: #9a6700;
        letter-spacing: 0.1em;
      }
      .review blockquote {
        margin: 0;
        white-space: pre-line;
        overflow-wrap: anywhere;
      }
      .buttons {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    today: { attribute: false },
    status: { state: true },
  };

  #scores = new Request(this, (signal, from: string, to: string) => merchant<Kpis>(signal, 'GET', `kpis?from=${from}&to=${to}`));
  // A page comes back joined to the ones before it, so that "Try again" after a failed page retries just that.
  #list = new Request(this, async (signal, status: ReviewStatus, cursor: string | null, before: ModeratedReview[]): Promise<Loaded> => {
    const q = new URLSearchParams({ status, limit: String(PAGE) });
    if (cursor) q.set('cursor', cursor);
    const page = await merchant<ModeratedReviewsPage>(signal, 'GET', `reviews?${q}`);
    return { items: [...before, ...page.reviews], next: page.nextCursor };
  });
  #moderation = new Request(this, (signal, id: string, status: 'approved' | 'rejected') =>
    merchant<{ review: ModeratedReview }>(signal, 'PATCH', `reviews/${encodeURIComponent(id)}`, { body: { status } }),
  );
  /** Reviews moderated (or found deleted) since the tab was opened: no longer listed on it. */
  #moderated = new Set<string>();
  /** What the last moderation did, for its confirmation line. */
  #done?: { who: string; status: 'approved' | 'rejected' | 'gone' };

  /** Today (the end of the scores' 90 days); now unless set. */
  today = new Date();
  /** The tab open. */
  protected status: ReviewStatus = 'pending';

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#list.status !== 'idle') return;
    const to = isoDay(this.today);
    const from = isoDay(new Date(this.today.getTime() - (SCORE_DAYS - 1) * 86_400_000));
    void this.#scores.run(from, to).then(() => this.checkSession(this.#scores));
    void this.#load();
  }

  get #t() {
    return text(this.locale);
  }

  /** The open tab's first page, or (`more`) its next one. */
  async #load(more = false): Promise<void> {
    const loaded = more ? this.#list.value : undefined;
    if (!more) {
      this.#list.reset();
      this.#moderated.clear();
    }
    await this.#list.run(this.status, loaded?.next ?? null, loaded?.items ?? []);
    this.checkSession(this.#list);
  }

  get #items(): ModeratedReview[] {
    return (this.#list.value?.items ?? []).filter((r) => !this.#moderated.has(r.id));
  }

  #show(status: ReviewStatus): void {
    if (status === this.status && this.#list.status !== 'error') return;
    this.status = status;
    this.#done = undefined;
    this.#moderation.reset();
    void this.#load();
  }

  #who(r: ModeratedReview): string {
    return r.name || r.customerName || this.#t.anonymous;
  }

  async #moderate(r: ModeratedReview, status: 'approved' | 'rejected'): Promise<void> {
    if (this.#moderation.status === 'pending') return;
    this.#done = undefined;
    await this.#moderation.run(r.id, status);
    const m = this.#moderation;
    this.checkSession(m);
    const gone = m.status === 'error' && m.error?.status === 404;
    if (m.status === 'complete' || gone) {
      // Moderated, or deleted meanwhile: either way it no longer belongs on this tab.
      this.#moderated.add(r.id);
      this.#done = { who: this.#who(r), status: gone ? 'gone' : status };
      if (gone) m.reset();
    }
    this.requestUpdate();
  }

  #scoresView() {
    const s = this.#scores;
    const t = this.#t;
    const k = kpiStrings(this.locale);
    let body;
    if (s.status === 'error') body = s.error?.status === 403 ? nothing : this.failure(s);
    else if (s.status !== 'complete') body = html`<p class="state" role="status">${this.m.loading}</p>`;
    else
      body = html`<ul class="scores">
        ${SCORES.map((key) => {
          const v = s.value![key];
          return html`<li data-score=${key}>
            <h3>${k.label[key]}</h3>
            <p class="value">${formatKpi(this.locale, key, v, 'EUR')}</p>
            <p class="hint">${v === null ? t.noAnswer : k.meaning[key]}</p>
          </li>`;
        })}
      </ul>`;
    return html`<section class="stack" aria-labelledby="scores">
      <h2 id="scores">${t.scores}</h2>
      ${body}
    </section>`;
  }

  /** The last moderation's confirmation, in a live region that stays on the page. */
  #confirmation() {
    const t = this.#t;
    const d = this.#done;
    if (!d) return nothing;
    if (d.status === 'gone') return html`<p class="alert">${t.gone}</p>`;
    return html`<p class="alert ok">${d.status === 'approved' ? t.approved(d.who) : t.rejected(d.who)}</p>`;
  }

  #review(r: ModeratedReview) {
    const t = this.#t;
    const busy = this.#moderation.status === 'pending';
    const date = new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium' }).format(new Date(r.createdAt));
    const button = (status: 'approved' | 'rejected', label: string, ghost: boolean) =>
      html`<button
        class="btn small ${ghost ? 'ghost' : ''}"
        type="button"
        aria-disabled=${busy}
        data-action=${status}
        aria-describedby="r-${r.id}"
        @click=${() => this.#moderate(r, status)}
      >
        ${label}
      </button>`;
    const actions = !this.owner
      ? nothing
      : r.status === 'pending'
        ? html`${button('approved', t.approve, false)}${button('rejected', t.reject, true)}`
        : r.status === 'approved'
          ? button('rejected', t.unpublish, true)
          : button('approved', t.approveAgain, true);
    return html`<li class="review stack" data-id=${r.id}>
      <p id="r-${r.id}">
        <span class="stars" role="img" aria-label=${t.rating(r.rating)}>${'★'.repeat(r.rating)}${'☆'.repeat(5 - r.rating)}</span>
        <strong>${this.#who(r)}</strong> · <time datetime=${r.createdAt}>${date}</time>
        ${r.verified ? html` · <span class="verified">✓ ${t.verified}</span>` : nothing}
      </p>
      ${r.text ? html`<blockquote>${r.text}</blockquote>` : html`<p class="hint">${t.noText}</p>`}
      <div class="buttons">${actions}</div>
    </li>`;
  }

  #listView() {
    const l = this.#list;
    const t = this.#t;
    const loaded = l.value;
    if (!loaded) {
      if (l.status === 'error') return this.failure(l, l.error?.status === 403 ? this.m.ownerOnly : undefined);
      return html`<p class="state" role="status">${this.m.loading}</p>`;
    }
    const items = this.#items;
    const more = l.status === 'pending';
    return html`${
      items.length
        ? html`<ul class="reviews stack">
            ${items.map((r) => this.#review(r))}
          </ul>`
        : html`<p class="state">${t.empty[this.status]}</p>`
    }
    ${l.status === 'error' ? this.failure(l) : nothing}
    ${
      loaded.next && l.status !== 'error'
        ? html`<button class="btn ghost" type="button" aria-disabled=${more} @click=${() => !more && this.#load(true)}>
            ${more ? this.m.loading : t.more}
          </button>`
        : nothing
    }`;
  }

  override render() {
    const t = this.#t;
    return html`<div class="stack">
      ${this.#scoresView()}
      <section class="stack" aria-labelledby="reviews">
        <h2 id="reviews">${t.title}</h2>
        <div class="tabs" role="group" aria-label=${t.show}>
          ${STATUSES.map(
            (s) =>
              html`<button
                class="btn ghost small"
                type="button"
                aria-pressed=${this.status === s}
                data-status=${s}
                @click=${() => this.#show(s)}
              >
                ${t.tabs[s]}
              </button>`,
          )}
        </div>
        ${this.status === 'pending' ? html`<p class="hint">${t.pendingHint}</p>` : nothing}
        <div role="status">${this.#confirmation()}</div>
        ${
          this.#moderation.status === 'error'
            ? this.failure(this.#moderation, this.#moderation.error?.status === 403 ? this.m.ownerOnly : undefined)
            : nothing
        }
        ${this.#listView()}
      </section>
    </div>`;
  }
}

define('fd-reviews', FdReviews);

declare global {
  interface HTMLElementTagNameMap {
    'fd-reviews': FdReviews;
  }
}
