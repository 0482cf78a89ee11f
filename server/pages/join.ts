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

/** What became of a request for the card by e-mail (the form posts, then comes back here). */
export type Recovery = 'sent' | 'limited' | 'invalid' | 'off';

/** "Already a member?": the card's link by e-mail, to the address typed. Works without JavaScript. */
function recovery(page: JoinPage, status: Recovery | undefined) {
  const p = page.program;
  const t = strings(p.locale);
  const notice =
    status === 'sent'
      ? html`<p class="notice" role="status">${t.recoverSent}</p>`
      : status
        ? html`<p class="notice bad" role="alert">${{ limited: t.recoverLimited, invalid: t.recoverInvalid, off: t.recoverOff }[status]}</p>`
        : '';
  return html`<section id="recover" aria-labelledby="recover-title">
<h2 id="recover-title">${t.recoverTitle}</h2>
${notice}
${
  page.mail && status !== 'off'
    ? html`<form method="post" action="/j/${p.slug}/recover">
<p>${t.recoverLead}</p>
<label for="recover-email">${t.email}</label>
<input id="recover-email" name="email" type="email" required autocomplete="email" maxlength="254">
<button type="submit">${t.recoverSend}</button>
</form>`
    : html`<p>${t.recoverOff}</p>`
}
</section>`;
}

export function joinPageHtml(page: JoinPage, status?: Recovery) {
  const p = page.program;
  const t = strings(p.locale);
  const bonus = bonusSentence(unitOf(p, p.signupBonus), p.locale);
  const launch = page.launchBonus;
  return layout({
    lang: p.locale,
    title: `${t.joinTitle(p.name)} — ${page.merchantName}`,
    description: `${page.merchantName} — ${offerSentence(offerOf(p), p.locale)} ${t.joinLead}`,
    colours: { background: p.design.backgroundColor, foreground: p.design.foregroundColor },
    logoUrl: page.logoUrl,
    merchantName: page.merchantName,
    widget: true,
    header: html`<h1>${p.name}</h1>
      <p class="offer">${offerSentence(offerOf(p), p.locale)}</p>
      ${bonus ? html`<p>${bonus}</p>` : ''}
      ${launch ? html`<noscript><p class="launch">${launch.text[p.locale]}</p></noscript>` : ''}
      <p>${t.joinLead}</p>`,
    body: html`<main>
      ${invitation(page)}
      <fidelio-widget program="${p.slug}" lang="${p.locale}"></fidelio-widget>
      <noscript><p>${t.noScript}</p></noscript>
      ${recovery(page, status)}
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
