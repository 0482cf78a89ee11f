// A member's card page (`/c/:serial`): the card as on the pass, the QR code to show at the
// counter, the wallets this server issues, the visits, the invitation, a review and a survey.
// For its holder only: not indexed, and it asks nothing of anyone else.
import { html, raw } from 'hono/html';
import type { Locale } from '../../common/localize.ts';
import { formatMoney } from '../../common/money.ts';
import type { CardPage } from '../services/pages.ts';
import { layout } from './layout.ts';
import { strings } from './strings.ts';

/** Visits are shown as days, in the shop's time zone (every program is in France for now). */
const TIME_ZONE = 'Europe/Paris';

function balance(page: CardPage, lang: Locale) {
  const t = strings(lang);
  const c = page.card;
  const n = (x: number) => new Intl.NumberFormat(lang).format(x);
  if (c.programType === 'stamps') {
    const total = c.stampsRequired ?? 10;
    const have = Math.min(c.stamps ?? 0, total);
    return html`<div class="stamps" aria-hidden="true">
        ${Array.from({ length: total }, (_, i) => (i < have ? html`<i class="on">✓</i>` : html`<i></i>`))}
      </div>
      <p>${t.stampsOf(have, total)}. ${have < total ? t.toGo(total - have) : ''}</p>`;
  }
  if (c.programType === 'cashback') {
    return html`<p class="big">${formatMoney(c.cashbackBalance ?? 0, page.program.currency, lang)}</p>
      <p>${t.cashback}</p>`;
  }
  return html`<p><span class="big">${n(c.points ?? 0)}</span> ${t.points}</p>
    ${c.tier ? html`<p>${t.tier} : <strong>${c.tier}</strong></p>` : ''}`;
}

function visit(v: CardPage['visits'][number], page: CardPage, lang: Locale) {
  const t = strings(lang);
  const day = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: TIME_ZONE }).format(v.at);
  const what =
    v.kind === 'redemption'
      ? t.redemption
      : v.kind === 'stamp'
        ? t.stamp(v.stamps)
        : v.amountMinor !== null
          ? t.purchase(formatMoney(v.amountMinor, page.program.currency, lang))
          : t.purchasePoints(v.points);
  return html`<li><span>${what}</span><time datetime="${v.at.toISOString()}">${day}</time></li>`;
}

/** The survey element of the card page, asking `kind`. */
function survey(page: CardPage, kind: string) {
  return html`<fidelio-survey program="${page.program.slug}" kind="${kind}" card-serial="${page.card.serial}" lang="${page.language}"></fidelio-survey>`;
}

/** The review form of the card page. */
function review(page: CardPage) {
  return html`<fidelio-review
    program="${page.program.slug}"
    card-serial="${page.card.serial}"
    name="${page.card.customerName}"
    google-review-url="${page.program.googleReviewUrl ?? ''}"
    lang="${page.language}"
  ></fidelio-review>`;
}

export function cardPageHtml(page: CardPage) {
  const lang = page.language;
  const t = strings(lang);
  const { card, program: p, links } = page;
  const reward = p.type === 'stamps' ? p.reward.name : '';
  return layout({
    lang,
    title: t.cardTitle(page.merchantName),
    colours: { background: p.design.backgroundColor, foreground: p.design.foregroundColor },
    logoUrl: page.logoUrl,
    merchantName: page.merchantName,
    noindex: true,
    widget: true,
    header: html`<h1>${p.name}</h1>`,
    body: html`<main>
      ${
        // An after-visit ask open now comes first (the mail and the pass link to #ask); the rest of
        // the survey and the review are at the end, as always.
        page.ask
          ? html`<section id="ask" aria-label="${t.review}">${page.ask === 'review' ? review(page) : survey(page, page.ask)}</section>`
          : ''
      }
      <section aria-labelledby="card">
        <div class="pass">
          <h2 id="card">${card.customerName}</h2>
          ${balance(page, lang)} ${card.rewardsAvailable ? html`<p><strong>${t.rewards(card.rewardsAvailable, reward)}</strong></p>` : ''}
        </div>
        <figure>
          <span role="img" aria-label="${t.qrAlt}">${raw(page.qrSvg)}</span>
          <figcaption>${t.showCode} <span class="serial">${card.serial}</span></figcaption>
        </figure>
        ${
          page.wallets.apple || page.wallets.google
            ? html`<p class="wallets">
                ${page.wallets.apple ? html`<a href="${links.applePass}">${t.addTo} Apple Wallet</a>` : ''}${
                  page.wallets.google ? html`<a href="${links.googleSave}" rel="noopener">${t.addTo} Google Wallet</a>` : ''
                }
              </p>`
            : ''
        }
        ${page.giving ? html`<p class="giving">${page.giving}</p>` : ''}
        <p class="muted">${t.keepPage}</p>
      </section>
      <section aria-labelledby="visits">
        <h2 id="visits">${t.visits}</h2>
        ${
          page.visits.length
            ? html`<ul class="visits">
                ${page.visits.map((v) => visit(v, page, lang))}
              </ul>`
            : html`<p>${t.noVisits}</p>`
        }
      </section>
      ${
        page.referralUrl
          ? html`<section aria-label="${t.invite}"><fidelio-referral serial="${card.serial}" lang="${lang}"></fidelio-referral></section>`
          : ''
      }
      <section aria-label="${t.review}">
        ${page.ask && page.ask !== 'review' ? '' : survey(page, 'nps')} ${page.ask === 'review' ? '' : review(page)}
      </section>
    </main>`,
  });
}
