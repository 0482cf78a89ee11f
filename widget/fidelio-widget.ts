import { css, html, nothing, type PropertyValues, type TemplateResult, type PropertyDeclarations } from 'lit';
import type { CardAnswer, ProgramInfo, SignupBody, SurveyKind } from '../common/api.ts';
import { Problem, Request, warn } from '../common/request.ts';
import { call } from './api.ts';
import { FidelioElement } from './base.ts';

type Tab = 'card' | 'review' | 'invite';

/** The name a review is signed with by default: the first name and the last name's initial ("Camille D."). */
const shortName = (name: string) => name.replace(/^(\S+).*\s(\S)\S*$/u, '$1 $2.');

function storage(): Storage | undefined {
  try {
    return localStorage;
  } catch {
    return undefined; // blocked by the browser's privacy settings
  }
}

/**
 * The all-in-one loyalty widget, configured by its tag:
 * `<fidelio-widget program="cafe-lune"></fidelio-widget>`. A visitor joins with a short form and
 * gets their card; a returning visitor (the card's serial is kept in localStorage, one key per
 * program) sees the card directly, with tabs to leave a review and invite friends.
 *
 * @event fidelio-join - A visitor joined; `detail` is the new `{ card, links }`.
 * @csspart base - the element's box
 * @csspart error - an error message
 * @cssproperty --fidelio-primary - buttons, the card, the selected tab (default: the merchant's colour)
 * @cssproperty --fidelio-on-primary - text on the primary colour
 * @cssproperty --fidelio-radius - corner radius
 * @cssproperty --fidelio-font - font family
 * @cssproperty --fidelio-focus - the focus ring's colour
 */
export class FidelioWidget extends FidelioElement {
  static override get styles() {
    return [
      FidelioElement.styles,
      css`
        /* Room for the tallest state (the card, its tabs and a welcome), so that the card
         replacing the form or the loading state moves nothing below the widget: 52em on a
         phone, 43em from 600px wide. Written with vw rather than a media query, which WebKit
         does not re-evaluate in a shadow root when the window narrows. */
        .base {
          max-width: 32em;
          min-height: clamp(43em, (600px - 100vw) * 1e3, 52em);
          padding: 1em;
          border: 1px solid #d0d7de;
          border-radius: var(--r);
          background: #fff;
        }
        /* The logo on the merchant's colour (a white logo made for the pass shows), beside the
         title, the two centred. */
        .head {
          display: flex;
          align-items: center;
          justify-content: center;
          gap: 0.75em;
        }
        .head img {
          border-radius: var(--s);
          background: var(--p);
        }
        .tabs {
          display: flex;
          border-bottom: 1px solid #d0d7de;
        }
        [role='tab'] {
          flex: 1;
          min-height: 44px;
          padding: 0.5em;
          border: 0;
          border-bottom: 3px solid transparent;
          background: none;
          color: #57606a;
          font-weight: 600;
          cursor: pointer;
        }
        [aria-selected='true'] {
          border-bottom-color: var(--p);
          color: #1f2328;
        }
        .link {
          display: block;
          margin: 1em auto 0;
          font-size: 0.875em;
        }
      `,
    ];
  }

  static override get properties(): PropertyDeclarations {
    return {
      tab: { state: true },
      seen: { state: true },
      reviewed: { state: true },
      program: {},
      noReview: { type: Boolean, attribute: 'no-review' },
      noReferral: { type: Boolean, attribute: 'no-referral' },
    };
  }

  #ref = new URLSearchParams(location.search).get('ref')?.trim().slice(0, 32) || undefined;

  /** Scrolled into view for an invitation already (see `updated`): once is enough. */
  #shown = false;

  // With the page's `?ref=`, the answer also says who invites (a code of nobody's in the program: nothing).
  #info = new Request(this, (signal, slug: string) =>
    call<ProgramInfo>(this.url('programs', slug, this.#ref ? `?ref=${encodeURIComponent(this.#ref)}` : ''), signal),
  );

  #card = new Request(this, async (signal, serial: string) => {
    try {
      return await call<CardAnswer>(this.url('cards', serial), signal);
    } catch (e) {
      // A card that no longer exists: forget it and offer the form again.
      if (e instanceof Problem && e.status === 404) storage()?.removeItem(this.#key);
      throw e;
    }
  });

  #signup = new Request(this, async (signal, body: SignupBody) => {
    const answer = await this.post<CardAnswer>(signal, this.url('programs', this.program, '/signup'), body, '.welcome');
    storage()?.setItem(this.#key, answer.card.serial);
    this.emit('fidelio-join', answer);
    return answer;
  });

  private tab: Tab = 'card';
  /** Tabs opened so far: a panel's element is created (and fetches) on first view. */
  private seen: Tab[] = ['card'];
  /** Where a review was just sent: the one-question survey follows it there. */
  private reviewed?: Tab;

  /** The program's slug, as in the public API's URLs. */
  program = '';
  /** Hide the review tab. */
  noReview = false;
  /** Hide the invite-a-friend tab. */
  noReferral = false;

  get #key(): string {
    return `fidelio:${this.program}`;
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('program') && !changed.has('api')) return;
    this.#signup.reset();
    this.#card.reset();
    if (!this.program) return warn('<fidelio-widget> needs a program attribute');
    void this.#info.run(this.program);
    const serial = storage()?.getItem(this.#key);
    if (serial) void this.#card.run(serial);
  }

  #onJoin = (e: SubmitEvent): void => {
    const v = this.read(e, this.#signup, { terms: this.m.mustAccept });
    if (!v) return;
    const { terms, marketing, name = '', email = '', ...optional } = v;
    void this.#signup.run({
      name,
      email,
      ...optional,
      consent: { terms: true, marketing: !!marketing },
      referralCode: this.#ref,
      locale: this.locale,
    });
  };

  #onForget = (): void => {
    storage()?.removeItem(this.#key);
    this.#signup.reset();
    this.#card.reset();
    this.tab = 'card';
  };

  #select(tab: Tab): void {
    this.tab = tab;
    if (!this.seen.includes(tab)) this.seen = [...this.seen, tab];
  }

  /** The arrow keys move between tabs (the ARIA tabs pattern). */
  #onTabKey = (e: KeyboardEvent): void => {
    const tabs = [...this.renderRoot.querySelectorAll<HTMLElement>('[role=tab]')];
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    const to = tabs[(tabs.indexOf(e.target as HTMLElement) + step + tabs.length) % tabs.length];
    if (!step || !to) return;
    e.preventDefault();
    this.#select(to.id.slice(4) as Tab);
    to.focus();
  };

  #checkbox(name: string, label: string, required = false): TemplateResult {
    const err = this.errors[name];
    return html`<div class="field">
      <label class="check"
        ><input
          type="checkbox"
          name=${name}
          ?required=${required}
          aria-invalid=${!!err}
          aria-describedby=${err ? `${name}-err` : nothing}
        /><span>${label}</span></label
      >
      ${err ? html`<p class="err" id="${name}-err">${err}</p>` : nothing}
    </div>`;
  }

  #form({ program: p, invitation }: ProgramInfo): TemplateResult {
    const m = this.m;
    const s = this.#signup;
    return html`<form class="stack" novalidate @submit=${this.#onJoin}>
      ${invitation ? html`<p class="alert ok">${invitation.text[this.locale]}</p>` : nothing}
      <p>${p.type === 'stamps' && p.stampsRequired && p.reward ? m.pitch(p.stampsRequired, p.reward.name) : m.joinTitle}</p>
      ${p.launchBonus ? html`<p class="alert ok">${p.launchBonus.text[this.locale]}</p>` : nothing}
      ${this.field('name', m.name, 'text', { required: true, auto: 'name', max: 100 })}
      ${this.field('email', m.email, 'email', { required: true, auto: 'email', max: 254 })}
      ${this.field('phone', m.phone, 'tel', { auto: 'tel', max: 32 })} ${this.field('birthday', m.birthday, 'date', { auto: 'bday' })}
      ${this.#checkbox('terms', m.terms, true)} ${this.#checkbox('marketing', m.marketing)}
      ${s.status === 'error' && s.error?.code === 'already_member' ? html`<p class="alert" role="alert">${m.already}</p>` : nothing}
      ${this.submit(s, m.join)}
      <a class="link" href="${this.api}/j/${this.program}#recover">${m.recover}</a>
    </form>`;
  }

  #survey(serial: string, kind: SurveyKind): TemplateResult {
    return html`<fidelio-survey
      api=${this.api}
      lang=${this.locale}
      program=${this.program}
      card-serial=${serial}
      kind=${kind}
    ></fidelio-survey>`;
  }

  /**
   * The review form, in `tab`; once sent, the NPS question under its thanks — unless the card's
   * after-visit ask is a survey, already offered under the card.
   */
  #review(i: ProgramInfo, { card, ask }: CardAnswer, tab: Tab): TemplateResult {
    return html`<fidelio-review
        api=${this.api}
        lang=${this.locale}
        program=${this.program}
        card-serial=${card.serial}
        name=${shortName(card.customerName)}
        google-review-url=${i.googleReviewUrl}
        @fidelio-review-submit=${() => (this.reviewed = tab)}
      ></fidelio-review>
      ${this.reviewed === tab && (!ask || ask.kind === 'review') ? this.#survey(card.serial, 'nps') : nothing}`;
  }

  #panel(tab: Tab, i: ProgramInfo, answer: CardAnswer): TemplateResult {
    const { card, ask } = answer;
    if (tab === 'review') return this.#review(i, answer, tab);
    if (tab === 'invite') {
      return html`<fidelio-referral api=${this.api} lang=${this.locale} serial=${card.serial}></fidelio-referral>`;
    }
    return html`<fidelio-card
        lang=${this.locale}
        .data=${answer}
        reward=${i.program.reward?.name}
        currency=${i.program.currency}
        bonus=${this.#signup.value ? i.program.signupBonus : 0}
      ></fidelio-card>
      ${this.#signup.value ? nothing : html`<button class="link" @click=${this.#onForget}>${this.m.notYou}</button>`}
      ${
        // The after-visit ask, under the card until answered: the review form, or the survey of that kind.
        ask?.kind === 'review' ? this.#review(i, answer, tab) : ask ? this.#survey(card.serial, ask.kind) : nothing
      }`;
  }

  #member(i: ProgramInfo, answer: CardAnswer): TemplateResult {
    const m = this.m;
    const f = i.features;
    const tabs: [Tab, string][] = [['card', m.tabCard]];
    if (f.reviews && !this.noReview) tabs.push(['review', m.tabReview]);
    if (f.referrals && !this.noReferral) tabs.push(['invite', m.tabInvite]);
    const tab = tabs.some(([id]) => id === this.tab) ? this.tab : 'card';
    return html`${this.#signup.value ? html`<p class="welcome" tabindex="-1"><strong>${m.welcome(answer.card.customerName)}</strong></p>` : nothing}
    ${
      tabs.length > 1
        ? html`<div class="tabs" role="tablist" aria-label=${i.program.name} @keydown=${this.#onTabKey}>
              ${tabs.map(
                ([id, label]) =>
                  html`<button
                    role="tab"
                    id="tab-${id}"
                    aria-selected=${id === tab}
                    aria-controls="panel-${id}"
                    tabindex=${id === tab ? 0 : -1}
                    @click=${() => this.#select(id)}
                  >
                    ${label}
                  </button>`,
              )}
            </div>
            ${tabs.map(
              ([id]) =>
                html`<div role="tabpanel" id="panel-${id}" aria-labelledby="tab-${id}" ?hidden=${id !== tab}>
                  ${this.seen.includes(id) ? this.#panel(id, i, answer) : nothing}
                </div>`,
            )}`
        : this.#panel('card', i, answer)
    }`;
  }

  #body(i: ProgramInfo): unknown[] {
    const answer = this.#signup.value ?? this.#card.value;
    const c = this.#card;
    const logo = i.merchant.logoUrl;
    return [
      html`<header class="head">
        ${logo ? html`<img src=${logo} alt="" width="40" height="40" />` : nothing}
        <h2>${i.program.name}</h2>
      </header>`,
      answer
        ? this.#member(i, answer)
        : c.status === 'pending' || (c.status === 'error' && c.error?.status !== 404)
          ? this.states(c, () => nothing)
          : this.#form(i),
    ];
  }

  /**
   * The merchant's colours as the widget's defaults `--m` and `--mo` (`--fidelio-primary` still
   * wins; the API gives the text colour that reads on the background). Set through the CSSOM,
   * not a style attribute, which a host page's Content-Security-Policy (`style-src 'self'`) blocks.
   * And a visitor invited by a member comes into view of the invitation and the form, once.
   */
  override updated(): void {
    super.updated();
    const i = this.#info.value;
    const c = i?.merchant.colors;
    this.style.setProperty('--m', c?.background ?? '');
    this.style.setProperty('--mo', c?.text ?? '');
    // A friend opened a member's link: the page opens at its top, the widget maybe below the fold
    // (on a phone, surely). In one jump for those who ask for less motion (any reduced-motion value).
    if (!this.#shown && i?.invitation && this.renderRoot.querySelector('form')) {
      this.#shown = true;
      this.scrollIntoView({ behavior: matchMedia('(prefers-reduced-motion)').matches ? 'auto' : 'smooth' });
    }
  }

  override render() {
    return html`<div part="base" class="base stack">${this.states(this.#info, (i) => this.#body(i))}</div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-widget': FidelioWidget;
  }
  interface GlobalEventHandlersEventMap {
    'fidelio-join': CustomEvent<CardAnswer>;
  }
}
