// The program editor. Over 500 lines: its sections (the rules, the catalog, the tiers, the reward
// cost check, the bonuses, the settings, the shops) are each a few fields of the one draft; the
// form itself is `program-form.ts`.
import { css, html, nothing, type PropertyValues } from 'lit';
import { live } from 'lit/directives/live.js';
import type { Program, ProgramPreview } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { LOCALES } from '../../common/localize.ts';
import { formatMoney, moneyText, parseMoney } from '../../common/money.ts';
import { numberText, parseNumber } from '../../common/numbers.ts';
import { Request } from '../../common/request.ts';
import { merchant } from '../api.ts';
import { getPath } from './program-form.ts';
import { ProgramCampaigns } from './campaigns-section.ts';
import { type CostCheck, rewardCosts } from './reward-cost.ts';

const TYPES = ['stamps', 'points', 'tiers', 'cashback'] as const;

/** What Google Wallet shows of a name (`program.shortName` at most). */
const SHORT_NAME_MAX = 20;

/** Milliseconds of quiet typing before a lowered threshold is counted (`POST /program/preview`). */
export const PREVIEW_DELAY_MS = 300;

/** The most shops a program has (the server's limit). */
const MAX_SHOPS = 10;

type Shop = Program['locations'][number];

/** A latitude or longitude as typed ("-0.5", "−0,5", "48.8566"), within ±`limit`; undefined if it is not one. */
export function parseCoordinate(text: string, limit: number): number | undefined {
  const m = /^([-−+]?)\s*(.*)$/.exec(text.trim())!;
  const n = parseNumber(m[2]!);
  if (n === undefined) return undefined;
  const value = m[1] === '-' || m[1] === '−' ? -n : n;
  return Math.abs(value) <= limit ? value : undefined;
}

/** A catalog reward's id from its name: "Pain au chocolat" → "pain-au-chocolat" (letters, digits, -). */
export function rewardId(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 36)
    .replace(/-+$/, '');
}

/**
 * The program editor (owner only): the kind of program and its rules (stamps and their reward,
 * points and the rewards catalog, tiers, cashback), welcome and referral bonuses, and the
 * settings of the passes and the website widget; Save sends the whole program
 * (`PUT /api/merchant/program`), which re-issues every pass.
 *
 * The shops (`program.locations`, at most 10) each have a name, an address, where they are
 * (latitude and longitude, typed as in a map app) and what an iPhone nearby shows on its lock
 * screen. A stored shop keeps its `id`; a new one is sent without, and the server gives it one.
 *
 * The reward cost check shows what each reward costs as a share of the spend that earns it,
 * with the formula in words, and warns outside 1–5 %. For stamps the spend is the stamps
 * needed × an average purchase, kept with the program (`averageTicketMinor`); until the owner
 * types one, the KPIs' average order value when there is one (not saved).
 *
 * Lowering the stamps a reward needs gives the cards that hold the new number their rewards at the
 * save: the editor asks the server how many (`POST /program/preview`) and says so under the field.
 * A program name over 20 characters (Google Wallet cuts it) gets a field for a short name, with
 * its count of characters; the referral section has the cap of rewarded referrals.
 *
 * @event fd-program-changed - the program was saved; its detail is the program as now stored.
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdProgram extends ProgramCampaigns {
  static override styles = [
    ProgramCampaigns.styles,
    css`
      .types {
        display: grid;
        gap: 0.5em;
      }
      .type {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0 0.75em;
        align-items: start;
        padding: 0.75em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
      }
      .type:has(input:checked) {
        border: 2px solid var(--p);
      }
      .type input {
        width: 1.5em;
        height: 1.5em;
        margin-top: 0.125em;
      }
      .type .hint {
        grid-column: 2;
      }
      .cost {
        padding: 0.75em 1em;
        border-left: 4px solid #1a7f37;
        border-radius: 4px;
        background: #f6f8fa;
      }
      .cost.warn {
        border-left-color: #9a6700;
        background: #fff8c5;
      }
      .figure {
        font-size: 1.5em;
        font-weight: 700;
      }
      .costs {
        padding: 0;
        list-style: none;
      }
    `,
  ];

  /** The average order value, for the cost check of a stamps program that keeps no average purchase. */
  #kpis = new Request(this, (signal) => merchant<{ averageOrderValue: number | null }>(signal, 'GET', 'kpis'));
  /** What saving the draft would change now: asked when the stamps a reward needs go down. */
  #preview = new Request(this, (signal, p: Program) => merchant<ProgramPreview>(signal, 'POST', 'program/preview', { body: p }));
  #previewTimer?: ReturnType<typeof setTimeout>;
  /** The lowered threshold the preview is (or is being) asked for. */
  #previewed?: number;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.#previewTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    // The average purchase matters to stamps programs only: asked for the first time one is shown without one.
    const p = this.draft;
    if (this.owner && p?.type === 'stamps' && p.averageTicketMinor === undefined && this.#kpis.status === 'idle') {
      void this.#kpis.run().then(() => this.checkSession(this.#kpis));
    }
    this.#askPreview();
  }

  /** The stamps a reward needs, when the draft lowers them (the cards at the new number get their rewards at the save). */
  get #lowered(): number | undefined {
    const p = this.draft;
    const stored = this.program;
    return this.owner && p?.type === 'stamps' && stored?.type === 'stamps' && p.stampsRequired < stored.stampsRequired
      ? p.stampsRequired
      : undefined;
  }

  /** Asks the server how many cards a lowered threshold pays, once typing pauses; forgets it when not lowered. */
  #askPreview(): void {
    const lowered = this.#lowered;
    if (lowered === this.#previewed) return;
    this.#previewed = lowered;
    clearTimeout(this.#previewTimer);
    if (lowered === undefined) {
      if (this.#preview.status !== 'idle') this.#preview.reset();
      return;
    }
    this.#previewTimer = setTimeout(() => {
      if (this.draft) void this.#preview.run(this.draft).then(() => this.checkSession(this.#preview));
    }, PREVIEW_DELAY_MS);
  }

  /** The average order value of the KPIs (minor units), when there is one. */
  get #kpiAverage(): number | null {
    const aov = this.#kpis.value?.averageOrderValue;
    return typeof aov === 'number' && aov > 0 ? Math.round(aov) : null;
  }

  /** A new catalog reward's id follows its name (unique in the catalog); a stored one never changes. */
  protected override set(path: string, value: unknown): void {
    super.set(path, value);
    const m = /^rewards\.(\d+)\.name$/.exec(path);
    const rewards = this.draft?.rewards;
    if (!m || !rewards) return;
    const i = Number(m[1]);
    if (!this.#isNew(rewards[i]!)) return;
    const base = rewardId(String(value)) || `reward-${i + 1}`;
    let id = base;
    for (let n = 2; rewards.some((r, j) => j !== i && r.id === id); n++) id = `${base}-${n}`;
    super.set(`rewards.${i}.id`, id);
  }

  #isNew(r: Program['rewards'][number]): boolean {
    return r.id === '' || !this.program?.rewards.some((s) => s.id === r.id);
  }

  #addReward(): void {
    const rewards = this.draft!.rewards;
    this.set('rewards', [...rewards, { id: '', name: '', points: rewards.at(-1)?.points ?? 100, costMinor: 0 }]);
    void this.#focusLast('rewards', 'name');
  }

  #removeReward(i: number): void {
    this.forget('rewards.');
    this.set(
      'rewards',
      this.draft!.rewards.filter((_, j) => j !== i),
    );
  }

  #addTier(): void {
    const tiers = this.draft!.tiers;
    const last = tiers.at(-1);
    const tier = last
      ? { name: '', threshold: last.threshold + 100 * 10 ** this.digits, multiplier: last.multiplier + 0.5, perks: [] }
      : { name: '', threshold: 0, multiplier: 1, perks: [] };
    this.set('tiers', [...tiers, tier]);
    void this.#focusLast('tiers', 'name');
  }

  #removeTier(i: number): void {
    this.forget('tiers.');
    this.set(
      'tiers',
      this.draft!.tiers.filter((_, j) => j !== i),
    );
  }

  #addShop(): void {
    const shops = this.draft!.locations;
    if (shops.length >= MAX_SHOPS) return;
    // No coordinates yet (NaN shows as an empty field): Save asks for them rather than sending 0, 0.
    this.set('locations', [...shops, { name: '', address: null, latitude: NaN, longitude: NaN }]);
    void this.#focusLast('locations', 'name');
  }

  async #removeShop(i: number): Promise<void> {
    this.forget('locations.');
    this.set(
      'locations',
      this.draft!.locations.filter((_, j) => j !== i),
    );
    await this.updateComplete;
    this.shadowRoot!.getElementById('add-shop')?.focus();
  }

  /** Save checks what the server would refuse of the shops first: each needs a name and where it is. */
  protected override async submit(e?: Event): Promise<void> {
    e?.preventDefault();
    const t = this.t;
    this.draft?.locations.forEach((shop, i) => {
      const name = `locations.${i}.name`;
      if (!shop.name.trim()) this.typed(name, this.rawText(name) ?? shop.name, requiredName, t.shopNameRequired);
      for (const [key, limit, error] of [
        ['latitude', 90, t.badLatitude],
        ['longitude', 180, t.badLongitude],
      ] as const) {
        const path = `locations.${i}.${key}`;
        if (!Number.isFinite(shop[key]) && this.rawText(path) === undefined)
          this.typed(path, '', (text) => parseCoordinate(text, limit), error);
      }
    });
    await super.submit();
  }

  /** After a row was added: the focus goes to its first field. */
  async #focusLast(list: 'rewards' | 'tiers' | 'locations', field: string): Promise<void> {
    await this.updateComplete;
    this.shadowRoot!.getElementById(`f-${list}.${this.draft![list].length - 1}.${field}`)?.focus();
  }

  #type() {
    const t = this.t;
    const current = this.draft!.type;
    return html`<fieldset id=${this.group('type', t.type)}>
      <legend>${t.type}</legend>
      <div class="types">
        ${TYPES.map((type) => {
          const { name, text: description } = t.types[type];
          return html`<div class="type">
            <input
              type="radio"
              name="type"
              id="type-${type}"
              value=${type}
              aria-describedby="type-${type}-hint"
              .checked=${live(current === type)}
              @change=${() => this.set('type', type)}
            />
            <label for="type-${type}">${name}</label>
            <p class="hint" id="type-${type}-hint">${description}</p>
          </div>`;
        })}
      </div>
      ${this.errorsOf('type')}
    </fieldset>`;
  }

  #catalog() {
    const t = this.t;
    const c = this.draft!.currency;
    const rewards = this.draft!.rewards;
    return html`<fieldset id=${this.group('rewards', t.catalog)}>
      <legend>${t.catalog}</legend>
      ${this.errorsOf('rewards')} ${rewards.length ? nothing : html`<p class="hint">${t.catalogEmpty}</p>`}
      ${rewards.map(
        (r, i) =>
          html`<fieldset class="reward">
            <legend>${t.catalogReward(i + 1)}</legend>
            <div class="pair">
              ${this.textField(`rewards.${i}.name`, t.catalogName, { maxlength: 100 })}
              ${this.numberField(`rewards.${i}.points`, t.catalogPoints, { integer: true })}
              ${this.moneyField(`rewards.${i}.costMinor`, t.catalogCost(c))}
            </div>
            <p class="hint">${this.#isNew(r) ? t.catalogIdNew : t.catalogId(r.id)}</p>
            ${this.errorsOf(`rewards.${i}.id`)}
            <div class="row-actions">
              <button class="btn ghost small" type="button" @click=${() => this.#removeReward(i)}>
                ${t.removeReward(r.name || t.catalogReward(i + 1))}
              </button>
            </div>
          </fieldset>`,
      )}
      <button class="btn ghost small" type="button" @click=${this.#addReward}>${t.addReward}</button>
    </fieldset>`;
  }

  #tiers() {
    const t = this.t;
    const c = this.draft!.currency;
    const tiers = this.draft!.tiers;
    return html`<fieldset id=${this.group('tiers', t.tiers)} aria-describedby="tiers-hint">
      <legend>${t.tiers}</legend>
      <p class="hint" id="tiers-hint">${t.tiersHint}</p>
      ${this.errorsOf('tiers')} ${tiers.length ? nothing : html`<p class="hint">${t.tiersEmpty}</p>`}
      ${tiers.map(
        (tier, i) =>
          html`<fieldset>
            <legend>${t.tier(i + 1)}</legend>
            <div class="pair">
              ${this.textField(`tiers.${i}.name`, t.tierName, { maxlength: 40 })}
              ${this.moneyField(`tiers.${i}.threshold`, t.tierThreshold(c))} ${this.numberField(`tiers.${i}.multiplier`, t.tierMultiplier)}
            </div>
            ${this.linesField(`tiers.${i}.perks`, t.tierPerks)}
            <div class="row-actions">
              <button class="btn ghost small" type="button" @click=${() => this.#removeTier(i)}>
                ${t.removeTier(tier.name || t.tier(i + 1))}
              </button>
            </div>
          </fieldset>`,
      )}
      <button class="btn ghost small" type="button" @click=${this.#addTier}>${t.addTier}</button>
    </fieldset>`;
  }

  /** The fields that matter to the chosen kind of program. */
  #rules() {
    const t = this.t;
    const p = this.draft!;
    switch (p.type) {
      case 'stamps':
        return html`${this.numberField('stampsRequired', t.stampsRequired, { integer: true })} ${this.#previewView()}
        ${this.textField('reward.name', t.rewardName, { hint: t.rewardNameHint, maxlength: 100 })}
        ${this.moneyField('reward.costMinor', t.rewardCost(p.currency), { hint: t.rewardCostHint })}`;
      case 'points':
      case 'tiers':
        return html`${this.numberField('pointsPerUnit', t.pointsPerUnit(p.currency))} ${this.#catalog()}
        ${p.type === 'tiers' ? this.#tiers() : nothing}`;
      case 'cashback':
        return this.numberField('cashbackPercent', t.cashbackPercent);
    }
  }

  /** How many cards a save gives their rewards now, in the field's live region (empty until counted). */
  #previewView() {
    const r = this.#preview;
    const n = r.status === 'complete' && this.#lowered !== undefined ? r.value?.affectedCards : undefined;
    return html`<div role="status" part="preview">
      ${n === undefined ? nothing : html`<p class="cost warn">${this.t.rewardsOnSave(n, new Intl.NumberFormat(this.locale).format(n))}</p>`}
    </div>`;
  }

  /**
   * The cost check's average purchase, in minor units: as typed (null when empty or not an
   * amount), else the program's, else the KPIs'.
   */
  get #averageMinor(): number | null {
    const typed = this.rawText('averageTicketMinor');
    if (typed !== undefined) return parseMoney(typed, this.digits) || null;
    return this.draft?.averageTicketMinor ?? this.#kpiAverage;
  }

  /** The average purchase: the program's (kept with it), or the KPIs' until one is typed; empty takes it out. */
  #average() {
    const t = this.t;
    const p = this.draft!;
    const path = 'averageTicketMinor';
    const d = this.digits;
    const kept = p.averageTicketMinor;
    const suggested = kept === undefined ? this.#kpiAverage : null;
    const text =
      this.rawText(path) ??
      (kept !== undefined ? moneyText(kept, d, this.locale) : suggested !== null ? moneyText(suggested, d, this.locale) : '');
    const fromKpis = this.rawText(path) === undefined && suggested !== null;
    const parse = (s: string) => parseMoney(s, d) || undefined;
    return this.field(
      path,
      t.average(p.currency),
      { hint: fromKpis ? t.averageFromKpis : t.averageHint },
      (w) =>
        html`<input
          id=${w.id}
          autocomplete="off"
          inputmode="decimal"
          aria-describedby=${w.describedBy}
          aria-invalid=${w.invalid}
          .value=${live(text)}
          @input=${(e: Event) => {
            const typed = (e.target as HTMLInputElement).value;
            if (typed.trim() === '') this.unset(path, typed);
            else this.typed(path, typed, parse, t.moneyFormat(moneyText(100, d, this.locale)));
          }}
        />`,
    );
  }

  #percent(p: number): string {
    return new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 1 }).format(p / 100);
  }

  /** One reward's figure, its formula in words, and a warning outside 1–5 %. */
  #check(c: CostCheck) {
    const t = this.t;
    const p = this.draft!;
    const money = (minor: number) => formatMoney(minor, p.currency, this.locale);
    const name = c.basis === 'cashback' ? t.types[p.type].name : c.name || t.rewardName;
    if (c.percent === null) {
      const why = c.basis === 'stamps' ? t.needAverage : t.noPoints;
      return html`<li class="cost"><strong>${t.costOf(name)}</strong> ${why}</li>`;
    }
    const figure = this.#percent(c.percent);
    const num = new Intl.NumberFormat(this.locale);
    const formula =
      c.basis === 'stamps'
        ? t.stampsFormula(money(c.costMinor), c.needed, money(this.#averageMinor ?? 0), money(c.spendMinor ?? 0))
        : c.basis === 'points'
          ? t.pointsFormula(money(c.costMinor), num.format(c.needed), num.format(p.pointsPerUnit), money(c.spendMinor ?? 0))
          : t.cashbackFormula;
    const warn = c.verdict === 'low' ? t.costLow : c.verdict === 'high' ? t.costHigh : undefined;
    return html`<li class="cost ${warn ? 'warn' : ''}" part="cost">
      <p>${t.costOf(name)} <span class="figure">${figure}</span></p>
      <p class="hint">${formula} = ${figure}</p>
      <p><strong>${warn ?? t.costOk}</strong></p>
    </li>`;
  }

  #costCheck() {
    const t = this.t;
    const p = this.draft!;
    const checks = rewardCosts(p, this.#averageMinor, this.digits);
    const average = p.type === 'stamps' ? this.#average() : nothing;
    return html`<section aria-labelledby="cost-title" part="cost-check">
      <h3 id="cost-title">${t.costTitle}</h3>
      <p class="hint">${t.costIntro}</p>
      ${average}
      ${
        checks.length
          ? html`<ul class="costs stack" role="list" aria-live="polite">
              ${checks.map((c) => this.#check(c))}
            </ul>`
          : html`<p class="hint">${t.noRewards}</p>`
      }
      ${p.type === 'tiers' ? html`<p class="hint">${t.tiersNote}</p>` : nothing}
    </section>`;
  }

  /** Welcome and referral bonuses: stamps, points, or an amount for the cashback kitty. */
  #bonuses() {
    const t = this.t;
    const type = this.draft!.type;
    const unit = t.bonusUnit[type === 'tiers' ? 'points' : type];
    const bonus = (path: string, label: string) =>
      type === 'cashback' ? this.moneyField(path, label, { hint: unit }) : this.numberField(path, label, { integer: true, hint: unit });
    return html`<section>
      <h2>${t.bonuses}</h2>
      ${bonus('signupBonus', t.signupBonus)}
      <div class="pair">${bonus('referral.referrerReward', t.referrerReward)} ${bonus('referral.refereeReward', t.refereeReward)}</div>
      ${this.numberField('referral.monthlyCap', t.referralCap, { integer: true, hint: t.referralCapHint })}
    </section>`;
  }

  /**
   * The short name for Google Wallet, with its count of characters: shown when the program's name
   * is longer than Google shows (20 characters), or one is set; empty takes it out.
   */
  #shortName() {
    const t = this.t;
    const p = this.draft!;
    const name = p.name.trim();
    if (name.length <= SHORT_NAME_MAX && p.shortName === undefined) return nothing;
    const value = p.shortName ?? '';
    const hint =
      name.length > SHORT_NAME_MAX
        ? t.shortNameHint(
            `${Array.from(name)
              .slice(0, SHORT_NAME_MAX - 1)
              .join('')
              .trimEnd()}…`,
          )
        : t.shortNameSet;
    return this.field(
      'shortName',
      t.shortName,
      { hint: html`${hint} <span part="short-name-count">${t.shortNameCount(value.length, SHORT_NAME_MAX)}</span>` },
      (w) =>
        html`<input
          id=${w.id}
          maxlength=${SHORT_NAME_MAX}
          autocomplete="off"
          aria-describedby=${w.describedBy}
          aria-invalid=${w.invalid}
          .value=${live(value)}
          @input=${(e: Event) => {
            const v = (e.target as HTMLInputElement).value;
            if (v.trim() === '') this.unset('shortName', v);
            else this.set('shortName', v);
          }}
        />`,
    );
  }

  /** A latitude or longitude: typed as in a map app, with its sign. */
  #coordinate(path: string, label: string, limit: number, error: string) {
    const value = getPath(this.draft, path) as number;
    const text = this.rawText(path) ?? (Number.isFinite(value) ? numberText(value, this.locale) : '');
    return this.field(
      path,
      label,
      { hint: this.t.coordinatesHint },
      (w) =>
        html`<input
          id=${w.id}
          autocomplete="off"
          spellcheck="false"
          aria-describedby=${w.describedBy}
          aria-invalid=${w.invalid}
          .value=${live(text)}
          @input=${(e: Event) => this.typed(path, (e.target as HTMLInputElement).value, (s) => parseCoordinate(s, limit), error)}
        />`,
    );
  }

  #shop(shop: Shop, i: number) {
    const t = this.t;
    const p = `locations.${i}`;
    const name = `${p}.name`;
    const relevant = `${p}.relevantText`;
    return html`<fieldset class="shop">
      <legend>${t.shop(i + 1)}</legend>
      ${this.field(
        name,
        t.shopName,
        {},
        (w) =>
          html`<input
            id=${w.id}
            maxlength="100"
            autocomplete="off"
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            .value=${live(this.rawText(name) ?? shop.name)}
            @input=${(e: Event) => this.typed(name, (e.target as HTMLInputElement).value, requiredName, t.shopNameRequired)}
          />`,
      )}
      ${this.textField(`${p}.address`, t.shopAddress, { nullable: true, maxlength: 300 })}
      <div class="pair">
        ${this.#coordinate(`${p}.latitude`, t.latitude, 90, t.badLatitude)}
        ${this.#coordinate(`${p}.longitude`, t.longitude, 180, t.badLongitude)}
      </div>
      ${this.field(
        relevant,
        t.relevantText,
        { hint: t.relevantTextHint },
        (w) =>
          html`<input
            id=${w.id}
            maxlength="100"
            autocomplete="off"
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            .value=${live(shop.relevantText ?? '')}
            @input=${(e: Event) => {
              const v = (e.target as HTMLInputElement).value;
              // Optional: an empty text is no text (the server wants at least one character).
              this.set(relevant, v.trim() ? v : undefined);
            }}
          />`,
      )}
      <p class="hint">${shop.id ? t.shopId(shop.id) : t.shopIdNew}</p>
      ${this.errorsOf(`${p}.id`)}
      <div class="row-actions">
        <button class="btn ghost small" type="button" @click=${() => this.#removeShop(i)}>
          ${t.removeShop(shop.name.trim() || t.shop(i + 1))}
        </button>
      </div>
    </fieldset>`;
  }

  #shops() {
    const t = this.t;
    const shops = this.draft!.locations;
    const full = shops.length >= MAX_SHOPS;
    return html`<section aria-labelledby="shops-title">
      <h2 id="shops-title">${t.shops}</h2>
      <p class="hint" id="shops-hint">${t.shopsHint}</p>
      <div class="stack" id=${this.group('locations', t.shops)}>
        ${this.errorsOf('locations')} ${shops.length ? nothing : html`<p class="hint">${t.shopsEmpty}</p>`}
        ${shops.map((shop, i) => this.#shop(shop, i))}
      </div>
      <button
        id="add-shop"
        class="btn ghost small"
        type="button"
        aria-disabled=${full ? 'true' : 'false'}
        aria-describedby=${full ? 'shops-full' : nothing}
        @click=${this.#addShop}
      >
        ${t.addShop}
      </button>
      ${full ? html`<p class="hint" id="shops-full">${t.shopsFull}</p>` : nothing}
    </section>`;
  }

  #settings() {
    const t = this.t;
    const p = this.draft!;
    return html`<section>
      <h2>${t.passesTitle}</h2>
      <div class="pair">
        ${this.textField('currency', t.currency, { hint: t.currencyHint, maxlength: 3, transform: (v) => v.toUpperCase().trim() })}
        ${this.field(
          'locale',
          t.locale,
          {},
          (w) =>
            html`<select
              id=${w.id}
              aria-describedby=${w.describedBy}
              aria-invalid=${w.invalid}
              @change=${(e: Event) => this.set('locale', (e.target as HTMLSelectElement).value)}
            >
              ${LOCALES.map((l) => html`<option value=${l} ?selected=${p.locale === l}>${t.locales[l]}</option>`)}
            </select>`,
        )}
      </div>
      ${this.linesField('allowedOrigins', t.origins, { hint: t.originsHint })}
      ${this.textField('googleReviewUrl', t.reviewUrl, { type: 'url', inputmode: 'url', nullable: true, hint: t.reviewUrlHint })}
      ${this.textField('websiteUrl', t.websiteUrl, { type: 'url', inputmode: 'url', nullable: true, hint: t.websiteUrlHint })}
      ${this.textField('address', t.address, { multiline: true, nullable: true, maxlength: 300, hint: t.backOfPass })}
      ${this.textField('terms', t.terms, { multiline: true, nullable: true, maxlength: 2000, hint: t.backOfPass })} ${this.#translations()}
    </section>`;
  }

  /** The reward's name and the terms in the other language (`translations`), for the members who read it. */
  #translations() {
    const t = this.t;
    const p = this.draft!;
    const other = p.locale === 'fr' ? 'en' : 'fr';
    return html`<fieldset>
      <legend>${t.otherLanguage(other)}</legend>
      <p class="hint">${t.otherLanguageHint}</p>
      ${p.type === 'stamps' ? this.textField(`translations.${other}.rewardName`, t.rewardIn(other), { nullable: true, maxlength: 100 }) : nothing}
      ${this.textField(`translations.${other}.terms`, t.termsIn(other), { multiline: true, nullable: true, maxlength: 2000 })}
    </fieldset>`;
  }

  protected override fields() {
    const t = this.t;
    return html`<section>
        <h2>${t.programTitle}</h2>
        <p class="hint">${t.programIntro}</p>
        ${this.textField('name', t.name, { hint: t.nameHint, maxlength: 100 })} ${this.#shortName()} ${this.#type()} ${this.#rules()}
        ${this.#costCheck()}
      </section>
      ${this.#bonuses()} ${this.campaigns()} ${this.#settings()} ${this.#shops()}`;
  }
}

/** A shop's name as typed, if it is one (not blank). */
function requiredName(text: string): string | undefined {
  return text.trim() ? text : undefined;
}

define('fd-program', FdProgram);

declare global {
  interface HTMLElementTagNameMap {
    'fd-program': FdProgram;
  }
}
