// The Figures screen: the period, the shop, the KPI tiles with their formulas, the charts and the
// goals below. Just over 450 lines: the period's and the shop's choices drive the one request.
import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { KpiKey, Kpis } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { currencyDigits, formatMoney } from '../../common/money.ts';
import { Request } from '../../common/request.ts';
import { merchant } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { type Bar, barChart, chartStyles } from './chart.ts';
import './goals-section.ts';
import { formatKpi, KPI_KINDS, kpiStrings, NO_VALUE } from './kpi-text.ts';

const text = localize({
  title: ['Figures', 'Chiffres'],
  giving: [
    (amount: string, cause: string) => `Giving back: ${amount} owed to ${cause} for this period.`,
    (amount: string, cause: string) => `Don solidaire : ${amount} à reverser à ${cause} pour cette période.`,
  ],
  winBack: [
    (sent: number, back: number) => `Win-back: ${sent} ${sent === 1 ? 'member' : 'members'} reminded, ${back} came back since.`,
    (sent: number, back: number) =>
      `Relance : ${sent} ${sent < 2 ? 'membre relancé' : 'membres relancés'}, ${back} ${back < 2 ? 'revenu' : 'revenus'} depuis.`,
  ],
  period: ['Period', 'Période'],
  shop: ['Shop', 'Boutique'],
  allShops: ['All shops', 'Toutes les boutiques'],
  periods: [
    { '7d': 'Last 7 days', '30d': 'Last 30 days', '90d': 'Last 90 days', '12m': 'Last 12 months', all: 'All time', custom: 'Custom' },
    {
      '7d': '7 derniers jours',
      '30d': '30 derniers jours',
      '90d': '90 derniers jours',
      '12m': '12 derniers mois',
      all: 'Depuis le début',
      custom: 'Autre période',
    },
  ],
  from: ['From', 'Du'],
  to: ['To (included)', 'Au (inclus)'],
  apply: ['Show', 'Afficher'],
  missing: ['Choose both dates.', 'Choisissez les deux dates.'],
  backwards: ['The start must not be after the end.', 'Le début doit précéder la fin.'],
  tooLong: ['The period can be 5 years at most.', 'La période ne peut dépasser 5 ans.'],
  refused: [
    (detail: string) => `The server refused this period: ${detail}`,
    (detail: string) => `Le serveur refuse cette période : ${detail}`,
  ],
  shown: [(from: string, to: string) => `From ${from} to ${to}`, (from: string, to: string) => `Du ${from} au ${to}`],
  how: [(label: string) => `How is “${label}” computed?`, (label: string) => `Comment se calcule « ${label} » ?`],
  trends: ['Over time', 'Évolution'],
  newMembers: ['New members', 'Nouveaux membres'],
  visits: ['Visits (stamps and purchases)', 'Visites (tampons et achats)'],
  spend: ['Spend recorded', 'Dépenses enregistrées'],
  showData: ['Show the numbers as a table', 'Voir les chiffres en tableau'],
  bucket: [
    { day: 'Day', week: 'Week of', month: 'Month' },
    { day: 'Jour', week: 'Semaine du', month: 'Mois' },
  ],
});

type Period = '7d' | '30d' | '90d' | '12m' | 'all' | 'custom';
const PERIODS: Period[] = ['7d', '30d', '90d', '12m', 'all', 'custom'];

const DAY_MS = 86_400_000;
const utc = (iso: string): Date => new Date(`${iso}T00:00:00Z`);
const iso = (d: Date): string => d.toISOString().slice(0, 10);
const addDays = (day: string, n: number): string => iso(new Date(utc(day).getTime() + n * DAY_MS));
const addYears = (day: string, n: number): string => {
  const d = utc(day);
  d.setUTCFullYear(d.getUTCFullYear() + n);
  return iso(d);
};
/** Today on this device's calendar, YYYY-MM-DD. */
const localToday = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** Whether from..to (inclusive) is longer than the server's 5 years (services/kpis.ts `periodTooLong`). */
const tooLong = (from: string, to: string): boolean => addDays(to, 1) > addYears(from, 5);

/**
 * The owner's figures: the KPIs of a period (the last 7, 30 or 90 days, 12 months, all time,
 * or dates of one's own), each tile with its formula on hover and on keyboard focus, and bar
 * charts of new members, visits and spend over the period with their numbers as a table.
 * `GET /api/merchant/kpis?from&to`; a KPI without data shows "—" and why. With two shops or
 * more (`program.locations`), a select narrows the figures to one (`&location=<id>`).
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdKpis extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    chartStyles,
    css`
      .periods {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      .periods .btn {
        padding: 0.25em 0.75em;
      }
      .periods [aria-pressed='true'] {
        background: var(--p);
        color: var(--po);
      }
      .custom {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9em, 1fr));
        gap: 0.5em;
        align-items: end;
      }
      .tiles {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(10.5em, 1fr));
        gap: 0.75em;
        padding: 0;
        list-style: none;
      }
      .tile {
        position: relative;
        padding: 0.75em;
        border: 1px solid #d0d7de;
        border-radius: var(--r);
      }
      .tile h3 {
        display: flex;
        align-items: flex-start;
        justify-content: space-between;
        gap: 0.25em;
        font-size: 0.875em;
        font-weight: 600;
      }
      .info {
        flex: none;
        width: 44px;
        height: 44px;
        margin: -0.5em -0.5em 0 0;
        border: 0;
        border-radius: 50%;
        background: none;
        color: var(--p);
        font-weight: 700;
        cursor: help;
      }
      .value {
        font-size: 1.75em;
        font-weight: 700;
        line-height: 1.2;
      }
      .tip {
        display: none;
        position: absolute;
        top: calc(100% - 0.25em);
        left: 0;
        right: 0;
        z-index: 1;
        padding: 0.5em 0.75em;
        border-radius: 8px;
        background: #1f2328;
        color: #fff;
        font-size: 0.875em;
      }
      .tile:hover .tip,
      .tile:focus-within .tip,
      .tile.open .tip {
        display: block;
      }
      .tile.dismissed .tip {
        display: none;
      }
      .charts {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(18em, 1fr));
        gap: 1.5em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    today: {},
    period: { state: true },
    from: { state: true },
    to: { state: true },
    invalid: { state: true },
    location: { state: true },
  };

  #kpis = new Request(this, (signal, query: string) => merchant<Kpis>(signal, 'GET', `kpis${query}`));
  /** Tiles whose formula was opened with a tap, or closed with Escape. */
  #open = new Set<KpiKey>();
  #dismissed = new Set<KpiKey>();

  /** Today, YYYY-MM-DD: the end of the preset periods (this device's date unless set). */
  today = localToday();
  /** The period chosen. */
  protected period: Period = '30d';
  /** The custom period's dates as typed. */
  protected from = '';
  protected to = '';
  /** Why the custom period cannot be sent, if so. */
  protected invalid = '';
  /** The shop whose figures are shown (`program.locations[].id`); empty: all shops. */
  protected location = '';
  /** The period of the figures asked last: a change of shop asks for it again. */
  #asked: { from?: string; to?: string } = {};

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.#kpis.status === 'idle') void this.#load();
  }

  /** The goals below hold an unsaved goal. */
  override get unsaved(): boolean {
    return this.renderRoot.querySelector('fd-goals-section')?.unsaved ?? false;
  }

  get #t() {
    return text(this.locale);
  }

  /** The from/to of a preset period, both included; none for all time. */
  #range(p: Exclude<Period, 'custom'>): { from?: string; to?: string } {
    const to = this.today;
    if (p === 'all') return {};
    if (p === '12m') return { from: addDays(addYears(to, -1), 1), to };
    return { from: addDays(to, 1 - { '7d': 7, '30d': 30, '90d': 90 }[p]), to };
  }

  async #load(range = this.period === 'custom' ? { from: this.from, to: this.to } : this.#range(this.period)): Promise<void> {
    this.#asked = range;
    const q = new URLSearchParams();
    if (range.from) q.set('from', range.from);
    if (range.to) q.set('to', range.to);
    if (this.location && this.#shops.some((l) => l.id === this.location)) q.set('location', this.location);
    const query = q.toString() ? `?${q}` : '';
    await this.#kpis.run(query);
    this.checkSession(this.#kpis);
  }

  #choose(p: Period): void {
    this.period = p;
    this.invalid = '';
    if (p !== 'custom') return void this.#load();
    // Starts from the period on screen, to be adjusted.
    const shown = this.#kpis.value?.period;
    this.from ||= shown?.from ?? '';
    this.to ||= shown?.to ?? this.today;
  }

  /** The shops to choose from: only when there are two or more (and each has its id). */
  get #shops(): { id: string; name: string }[] {
    const shops = (this.program?.locations ?? []).flatMap((l) => (l.id ? [{ id: l.id, name: l.name }] : []));
    return shops.length >= 2 ? shops : [];
  }

  #chooseShop(e: Event): void {
    this.location = (e.target as HTMLSelectElement).value;
    void this.#load(this.#asked);
  }

  #applyCustom(e: SubmitEvent): void {
    e.preventDefault();
    const t = this.#t;
    const { from, to } = this;
    this.invalid = !from || !to ? t.missing : from > to ? t.backwards : tooLong(from, to) ? t.tooLong : '';
    if (!this.invalid) void this.#load({ from, to });
  }

  #toggle(k: KpiKey): void {
    if (this.#open.has(k)) this.#open.delete(k);
    else this.#open.add(k);
    this.#dismissed.delete(k);
    this.requestUpdate();
  }

  /** Escape hides an open formula (WCAG 1.4.13) until the pointer or focus leaves the tile. */
  #keydown(e: KeyboardEvent, k: KpiKey): void {
    if (e.key !== 'Escape') return;
    this.#open.delete(k);
    this.#dismissed.add(k);
    this.requestUpdate();
  }

  #leave(k: KpiKey): void {
    if (!this.#dismissed.delete(k)) return;
    this.requestUpdate();
  }

  #date(day: string, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
    return new Intl.DateTimeFormat(this.locale, { ...opts, timeZone: 'UTC' }).format(utc(day));
  }

  /** Why a KPI has no value: for the money ones of a stamps program, because stamps carry no amount. */
  #why(k: KpiKey): string {
    const s = kpiStrings(this.locale);
    return (this.program?.type === 'stamps' && s.whyStamps[k]) || s.why[k] || NO_VALUE;
  }

  #tile(k: KpiKey, v: Kpis) {
    const s = kpiStrings(this.locale);
    const label = s.label[k];
    const value = v[k];
    const formula = (this.locale === 'fr' && s.formula[k]) || v.formulas[k] || '';
    const classes = ['tile', this.#open.has(k) ? 'open' : '', this.#dismissed.has(k) ? 'dismissed' : ''].join(' ');
    return html`<li class=${classes} data-kpi=${k} @mouseleave=${() => this.#leave(k)} @focusout=${() => this.#leave(k)}>
      <h3>
        <span>${label}</span>
        <button
          class="info"
          type="button"
          aria-label=${this.#t.how(label)}
          aria-describedby="f-${k}"
          @click=${() => this.#toggle(k)}
          @keydown=${(e: KeyboardEvent) => this.#keydown(e, k)}
        >
          ?
        </button>
      </h3>
      <p class="value">${formatKpi(this.locale, k, value, v.currency ?? this.program?.currency ?? 'EUR')}</p>
      ${value === null ? html`<p class="hint" part="why">${this.#why(k)}</p>` : nothing}
      <p class="tip" role="tooltip" id="f-${k}">${formula}</p>
    </li>`;
  }

  #charts(v: Kpis) {
    const t = this.#t;
    const { bucket, points } = v.series;
    const label = (day: string) =>
      this.#date(day, bucket === 'month' ? { month: 'short', year: 'numeric' } : { day: 'numeric', month: 'short' });
    const bars = (value: (p: (typeof points)[number]) => number): Bar[] => points.map((p) => ({ label: label(p.start), value: value(p) }));
    const count = new Intl.NumberFormat(this.locale, { maximumFractionDigits: 1 });
    const currency = v.currency ?? this.program?.currency ?? 'EUR';
    const major = 10 ** currencyDigits(currency);
    // The y axis in few characters ("€2.5K") when its steps are whole euros; else with the cents ("€0.25").
    const compact = new Intl.NumberFormat(this.locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 2 });
    const money = (n: number) => formatMoney(n, currency, this.locale);
    const chart = (title: string) => ({ title, period: t.bucket[bucket], showData: t.showData });
    return html`<section class="stack" aria-labelledby="trends">
      <h2 id="trends">${t.trends}</h2>
      <div class="charts">
        ${barChart(
          'new-members',
          chart(t.newMembers),
          bars((p) => p.newMembers),
          (n) => count.format(n),
        )}
        ${barChart(
          'visits',
          chart(t.visits),
          bars((p) => p.visits),
          (n) => count.format(n),
        )}
        ${barChart(
          'spend',
          chart(t.spend),
          bars((p) => p.spendMinor),
          money,
          { axis: (n, step) => (step % major === 0 ? compact.format(n / major) : money(n)), least: major },
        )}
      </div>
    </section>`;
  }

  #result() {
    const r = this.#kpis;
    const m = this.m;
    if (r.status === 'idle' || r.status === 'pending') return html`<p class="state" role="status">${m.loading}</p>`;
    if (r.status === 'error') {
      const p = this.problem(r);
      if (p?.status === 403) return html`<p class="alert" role="alert">${m.ownerOnly}</p>`;
      // The field errors say what is wrong ("the period must be at most 5 years"); the detail only that something is.
      if (p?.status === 400) return this.failure(r, this.#t.refused(p.errors.map((e) => e.message).join('; ') || p.detail || m.failed));
      return this.failure(r);
    }
    const v = r.value!;
    return html`<p class="hint" aria-live="polite">${this.#t.shown(this.#date(v.period.from), this.#date(v.period.to))}</p>
      <ul class="tiles">
        ${(Object.keys(KPI_KINDS) as KpiKey[]).map((k) => this.#tile(k, v))}
      </ul>
      ${
        v.winBack.sent > 0 || this.program?.campaigns.winBack.enabled
          ? html`<p class="hint" data-win-back>${this.#t.winBack(v.winBack.sent, v.winBack.returned)}</p>`
          : nothing
      }
      ${
        v.giving
          ? html`<p class="hint" data-giving>
              ${this.#t.giving(formatMoney(v.giving.owedMinor, v.giving.currency, this.locale), v.giving.cause)}
            </p>`
          : nothing
      }
      ${v.series.points.length ? this.#charts(v) : nothing}`;
  }

  #shopSelect() {
    const shops = this.#shops;
    if (!shops.length) return nothing;
    const t = this.#t;
    return html`<div class="field shop">
      <label for="shop">${t.shop}</label>
      <select id="shop" @change=${this.#chooseShop}>
        <option value="" ?selected=${!this.location}>${t.allShops}</option>
        ${shops.map((l) => html`<option value=${l.id} ?selected=${this.location === l.id}>${l.name}</option>`)}
      </select>
    </div>`;
  }

  override render() {
    const t = this.#t;
    const custom = this.period === 'custom';
    return html`<div class="stack">
      <h2>${t.title}</h2>
      <div class="periods" role="group" aria-label=${t.period}>
        ${PERIODS.map(
          (p) =>
            html`<button
              class="btn ghost small"
              type="button"
              aria-pressed=${this.period === p}
              data-period=${p}
              @click=${() => this.#choose(p)}
            >
              ${t.periods[p]}
            </button>`,
        )}
      </div>
      ${this.#shopSelect()}
      ${
        custom
          ? html`<form class="custom" @submit=${this.#applyCustom} novalidate>
              <div class="field">
                <label for="from">${t.from}</label>
                <input
                  id="from"
                  type="date"
                  max=${this.to || this.today}
                  .value=${this.from}
                  @input=${(e: Event) => (this.from = (e.target as HTMLInputElement).value)}
                />
              </div>
              <div class="field">
                <label for="to">${t.to}</label>
                <input
                  id="to"
                  type="date"
                  min=${this.from}
                  .value=${this.to}
                  @input=${(e: Event) => (this.to = (e.target as HTMLInputElement).value)}
                />
              </div>
              <button class="btn small" type="submit">${t.apply}</button>
              ${this.invalid ? html`<p class="alert" role="alert">${this.invalid}</p>` : nothing}
            </form>`
          : nothing
      }
      ${this.#result()}
      <fd-goals-section lang=${this.locale} .timeout=${this.timeout} .program=${this.program} .me=${this.me}></fd-goals-section>
    </div>`;
  }
}

define('fd-kpis', FdKpis);

declare global {
  interface HTMLElementTagNameMap {
    'fd-kpis': FdKpis;
  }
}
