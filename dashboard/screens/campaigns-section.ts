// The plays of the seed's playbook on the Program screen: one section each (birthday, launch week,
// after-visit ask, win-back, giving back) with its switch, its settings and a preview of what it
// will send — written by the very functions the server sends with (common/campaign-text.ts) —
// and the shop's time zone. A base class of the program editor (`FdProgram` extends it), so the
// fields are the form's own: bound by path, their errors from the server next to them.
import { css, html, nothing } from 'lit';
import type { Program } from '../../common/api.ts';
import { askMail, birthdayMessage, campaignSubject, givingSentence, launchSentence, winBackMessage } from '../../common/campaign-text.ts';
import { localize, type Locale } from '../../common/localize.ts';
import { unitOf } from '../../common/offer.ts';
import { getPath, ProgramForm } from './program-form.ts';

const SAMPLE = 'Camille';
const ASK_KINDS = ['review', 'nps', 'csat', 'ces'] as const;
// The runtime's canonical zones; a program's own zone (an alias like America/Montreal, which the
// server accepts) is added in front when the list lacks it.
const ZONES: readonly string[] = Intl.supportedValuesOf('timeZone');

const text = localize({
  title: ['Campaigns', 'Campagnes'],
  intro: [
    'Each one is off until you turn it on. The preview shows what your members will read, on the lock screen and by e-mail (e-mails only to those who accepted your offers).',
    'Chacune reste désactivée tant que vous ne l’activez pas. L’aperçu montre ce que vos membres liront sur l’écran verrouillé et par e-mail (l’e-mail ne part qu’à ceux qui ont accepté de recevoir vos offres).',
  ],
  timezone: ['Your shop’s time zone', 'Fuseau horaire de votre établissement'],
  timezoneHint: ['Birthdays and the launch dates follow it.', 'Il s’applique aux anniversaires et aux dates de la semaine de lancement.'],
  on: ['On', 'Activée'],
  preview: ['Preview', 'Aperçu'],
  subject: ['E-mail subject:', 'Objet de l’e-mail :'],
  birthday: ['Birthday', 'Anniversaire'],
  gift: ['The gift', 'Le cadeau'],
  giftBonus: ['Extra on the card', 'Un bonus sur la carte'],
  giftReward: ['A named gift', 'Un cadeau de votre choix'],
  giftAmount: ['How much', 'Quantité'],
  giftName: ['Which gift', 'Nom du cadeau'],
  daysBefore: ['Days before the birthday', 'Jours avant l’anniversaire'],
  message: ['Your own words (optional)', 'Votre message (facultatif)'],
  messageHint: ['{name} is the member’s first name.', '{name} est remplacé par le prénom du membre.'],
  launch: ['Launch week', 'Semaine de lancement'],
  launchAmount: ['Extra for those who join', 'Bonus pour ceux qui s’inscrivent'],
  launchFrom: ['First day', 'Premier jour'],
  launchTo: ['Last day', 'Dernier jour'],
  ask: ['After a visit: ask for their opinion', 'Après une visite : demander leur avis'],
  askKind: ['Ask for', 'Demander'],
  askKinds: [
    { review: 'A review', nps: 'Would they recommend you (0–10)', csat: 'How satisfied they are (1–5)', ces: 'How easy it was (1–5)' },
    {
      review: 'Un avis',
      nps: 'S’ils vous recommanderaient (0–10)',
      csat: 'S’ils sont satisfaits (1–5)',
      ces: 'Si c’était simple pour eux (1–5)',
    },
  ],
  skipFirst: ['Not on their first visit', 'Pas à leur première visite'],
  askHint: ['At most once every 90 days per member.', 'Au plus une fois tous les 90 jours par membre.'],
  winBack: ['Win back', 'Relance'],
  winBackDays: ['After how many days without a visit', 'Après combien de jours sans visite'],
  giving: ['Giving back', 'Don solidaire'],
  cause: ['The cause', 'La cause'],
  perStamp: ['For each stamp', 'Pour chaque tampon'],
  percent: ['Share of spend (%)', 'Part des achats (%)'],
});

/** The instant a calendar day starts in a time zone (DST included), as ISO. */
export function dayStart(day: string, timeZone: string): string {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const offset = (at: number) => {
    const p = Object.fromEntries(
      new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      })
        .formatToParts(at)
        .map((x) => [x.type, Number(x.value)]),
    );
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - at;
  };
  const first = guess - offset(guess);
  let start = guess - offset(first);
  // Where the clocks jump forward at midnight (Santiago), the day has no 00:00: it starts at the
  // jump, the first quarter hour that is already the day.
  while (dayOf(start, timeZone) < day) start += 15 * 60_000;
  return new Date(start).toISOString();
}

/** The calendar day (YYYY-MM-DD) of an instant in a time zone. */
export function dayOf(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

export abstract class ProgramCampaigns extends ProgramForm {
  static override styles = [
    ProgramForm.styles,
    css`
      .play {
        display: grid;
        gap: 0.75em;
        padding: 0.75em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      .switch {
        display: flex;
        gap: 0.5em;
        align-items: center;
        font-weight: 600;
      }
      .preview {
        padding: 0.5em 0.75em;
        border-radius: 12px;
        background: #f6f8fa;
        font-size: 0.9375em;
      }
    `,
  ];

  get #c() {
    return text(this.locale);
  }

  /** The business's name, as the mails say it. */
  #shop(p: Program): string {
    return this.me?.merchant?.name ?? p.name;
  }

  /** The program's language: what the preview is written in. */
  get #lang(): Locale {
    return this.draft!.locale;
  }

  #switch(path: string, label: string) {
    const on = Boolean(getPath(this.draft, path));
    return html`<label class="switch"
      ><input
        type="checkbox"
        data-play=${path}
        .checked=${on}
        @change=${(e: Event) => this.set(path, (e.target as HTMLInputElement).checked)}
      />
      ${label}</label
    >`;
  }

  #preview(lines: (string | null)[]) {
    const c = this.#c;
    return html`<div class="preview" aria-label=${c.preview}>
      ${lines.filter(Boolean).map((l, i) => html`<p class=${i ? 'hint' : ''}>${l}</p>`)}
    </div>`;
  }

  /** An amount in the program's unit: stamps or points (a whole number), or money for cashback. */
  #amount(path: string, label: string) {
    return this.draft!.type === 'cashback' ? this.moneyField(path, label) : this.numberField(path, label, { integer: true });
  }

  #select<T extends string>(path: string, label: string, values: readonly T[], names: (v: T) => string) {
    const current = (getPath(this.draft, path) as T | undefined) ?? values[0];
    return this.field(
      path,
      label,
      {},
      (w) =>
        html`<select
          id=${w.id}
          aria-describedby=${w.describedBy}
          aria-invalid=${w.invalid}
          @change=${(e: Event) => this.set(path, (e.target as HTMLSelectElement).value)}
        >
          ${values.map((v) => html`<option value=${v} ?selected=${v === current}>${names(v)}</option>`)}
        </select>`,
    );
  }

  #birthday(p: Program) {
    const c = this.#c;
    const b = p.campaigns.birthday;
    const gift = b.gift.kind === 'bonus' ? ({ kind: 'bonus', amount: unitOf(p, b.gift.amount) } as const) : b.gift;
    return html`<div class="play" data-section="birthday">
      ${this.#switch('campaigns.birthday.enabled', c.birthday)}
      <div class="pair">
        ${this.field(
          'campaigns.birthday.gift.kind',
          c.gift,
          {},
          (w) =>
            html`<select
              id=${w.id}
              aria-describedby=${w.describedBy}
              @change=${(e: Event) => {
                const kind = (e.target as HTMLSelectElement).value;
                this.set('campaigns.birthday.gift', kind === 'reward' ? { kind, name: p.reward.name } : { kind: 'bonus', amount: 1 });
              }}
            >
              <option value="bonus" ?selected=${b.gift.kind === 'bonus'}>${c.giftBonus}</option>
              <option value="reward" ?selected=${b.gift.kind === 'reward'}>${c.giftReward}</option>
            </select>`,
        )}
        ${
          b.gift.kind === 'bonus'
            ? this.#amount('campaigns.birthday.gift.amount', c.giftAmount)
            : this.textField('campaigns.birthday.gift.name', c.giftName, { maxlength: 100 })
        }
        ${this.numberField('campaigns.birthday.daysBefore', c.daysBefore, { integer: true })}
      </div>
      ${this.textField('campaigns.birthday.message', c.message, { nullable: true, maxlength: 200, hint: c.messageHint })}
      ${this.#preview([
        birthdayMessage(this.#lang, { name: SAMPLE, gift, message: b.message }),
        `${c.subject} ${campaignSubject(this.#lang, 'birthday', this.#shop(p))}`,
      ])}
    </div>`;
  }

  #launch(p: Program) {
    const c = this.#c;
    const l = p.campaigns.launchBonus;
    const tz = p.timezone;
    const from = l.from ? dayOf(Date.parse(l.from), tz) : '';
    const to = l.to ? dayOf(Date.parse(l.to) - 1, tz) : '';
    const day = (path: 'from' | 'to', label: string, value: string) =>
      this.field(
        `campaigns.launchBonus.${path}`,
        label,
        {},
        (w) =>
          html`<input
            id=${w.id}
            type="date"
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            .value=${value}
            @change=${(e: Event) => {
              const v = (e.target as HTMLInputElement).value;
              // The first day from its start; the last day to its end (the next day's start), in the shop's zone.
              this.set(`campaigns.launchBonus.${path}`, v ? dayStart(path === 'to' ? nextDay(v) : v, tz) : null);
            }}
          />`,
      );
    return html`<div class="play" data-section="launch">
      ${this.#switch('campaigns.launchBonus.enabled', c.launch)}
      <div class="pair">
        ${this.#amount('campaigns.launchBonus.amount', c.launchAmount)} ${day('from', c.launchFrom, from)} ${day('to', c.launchTo, to)}
      </div>
      ${l.to ? this.#preview([launchSentence(this.#lang, { amount: unitOf(p, l.amount), endsAt: l.to, timeZone: tz })]) : nothing}
    </div>`;
  }

  #ask(p: Program) {
    const c = this.#c;
    const a = p.campaigns.asks;
    const mail = askMail(this.#lang, { name: SAMPLE, shop: this.#shop(p), kind: a.kind });
    return html`<div class="play" data-section="ask">
      ${this.#switch('campaigns.asks.enabled', c.ask)} ${this.#select('campaigns.asks.kind', c.askKind, ASK_KINDS, (k) => c.askKinds[k])}
      <label class="switch"
        ><input
          type="checkbox"
          data-option="skipFirstVisit"
          .checked=${a.skipFirstVisit}
          @change=${(e: Event) => this.set('campaigns.asks.skipFirstVisit', (e.target as HTMLInputElement).checked)}
        />
        ${c.skipFirst}</label
      >
      <p class="hint">${c.askHint}</p>
      ${this.#preview([mail.text, `${c.subject} ${mail.subject}`])}
    </div>`;
  }

  #winBack(p: Program) {
    const c = this.#c;
    const w = p.campaigns.winBack;
    const shop = this.#shop(p);
    return html`<div class="play" data-section="win-back">
      ${this.#switch('campaigns.winBack.enabled', c.winBack)}
      ${this.numberField('campaigns.winBack.days', c.winBackDays, { integer: true })}
      ${this.textField('campaigns.winBack.message', c.message, { nullable: true, maxlength: 200, hint: c.messageHint })}
      ${this.#preview([winBackMessage(this.#lang, { name: SAMPLE, shop, message: w.message }), `${c.subject} ${campaignSubject(this.#lang, 'win_back', shop)}`])}
    </div>`;
  }

  #giving(p: Program) {
    const c = this.#c;
    const g = p.campaigns.giving;
    return html`<div class="play" data-section="giving">
      ${this.#switch('campaigns.giving.enabled', c.giving)} ${this.textField('campaigns.giving.cause', c.cause, { maxlength: 100 })}
      <div class="pair">
        ${this.moneyField('campaigns.giving.perStampMinor', c.perStamp)} ${this.numberField('campaigns.giving.percentOfSpend', c.percent)}
      </div>
      ${g.cause ? this.#preview([givingSentence(this.#lang, { amountMinor: 31200, currency: p.currency, cause: g.cause })]) : nothing}
    </div>`;
  }

  /** The campaigns' section of the Program screen. */
  protected campaigns() {
    const c = this.#c;
    const p = this.draft!;
    return html`<section data-section="campaigns">
      <h2>${c.title}</h2>
      <p class="hint">${c.intro}</p>
      ${this.#select('timezone', c.timezone, ZONES.includes(p.timezone) ? ZONES : [p.timezone, ...ZONES], (z) => z)}
      <p class="hint">${c.timezoneHint}</p>
      ${this.#birthday(p)} ${this.#launch(p)} ${this.#ask(p)} ${this.#winBack(p)} ${this.#giving(p)}
    </section>`;
  }
}
