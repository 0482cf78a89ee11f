// The join page (`/j/:slug`): the offer in words, an invitation when there is one, the widget's
// join form, and how it works. The poster's QR code leads here.
import { html } from 'hono/html';
import { amountText, bonusSentence, offerOf, offerSentence, unitOf } from '../../common/offer.ts';
import type { JoinPage } from '../services/pages.ts';
import { layout } from './layout.ts';
import { strings } from './strings.ts';

/** The invitation: who invites, and what each of you earns on the first visit. */
function invitation(page: JoinPage) {
  const { program: p, inviter } = page;
  if (!inviter) return '';
  const t = strings(p.locale);
  const you = p.referral.refereeReward > 0 ? amountText(unitOf(p, p.referral.refereeReward), p.locale) : null;
  const them = p.referral.referrerReward > 0 ? amountText(unitOf(p, p.referral.referrerReward), p.locale) : null;
  const earn =
    you && them ? t.inviteBoth(you, them, inviter.firstName) : you ? t.inviteYou(you) : them ? t.inviteThem(them, inviter.firstName) : '';
  return html`<section class="invite" aria-labelledby="invite">
    <h2 id="invite">${t.invites(inviter.firstName)}</h2>
    ${earn ? html`<p>${earn}</p>` : ''}
  </section>`;
}

export function joinPageHtml(page: JoinPage) {
  const p = page.program;
  const t = strings(p.locale);
  const bonus = bonusSentence(unitOf(p, p.signupBonus), p.locale);
  return layout({
    lang: p.locale,
    title: `${t.joinTitle(p.name)} — ${page.merchantName}`,
    colours: { background: p.design.backgroundColor, foreground: p.design.foregroundColor },
    logoUrl: page.logoUrl,
    merchantName: page.merchantName,
    widget: true,
    header: html`<h1>${p.name}</h1>
      <p class="offer">${offerSentence(offerOf(p), p.locale)}</p>
      ${bonus ? html`<p>${bonus}</p>` : ''}
      <p>${t.joinLead}</p>`,
    body: html`<main>
      ${invitation(page)}
      <fidelio-widget program="${p.slug}" lang="${p.locale}"></fidelio-widget>
      <noscript><p>${t.noScript}</p></noscript>
      <section aria-labelledby="steps">
        <h2 id="steps">${t.steps}</h2>
        <ol>
          <li>${t.step1}</li>
          <li>${t.step2}</li>
          <li>${t.step3}</li>
        </ol>
      </section>
      <footer class="muted">${t.poweredBy}</footer>
    </main>`,
  });
}
