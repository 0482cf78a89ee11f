// The owner's SMART goals on the Figures screen. About 570 lines, kept in one file: its string
// table (French and English, ~60 lines), its styles (~110) and the one form that adds and edits a
// goal belong to this element alone, and each goal's bar, deadline and badge read the same draft
// and answer; split, they would be three files passing one state around.
import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { Goal, GoalInput, GoalMetric, GoalPatch, Goals } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { currencyDigits, moneyText, parseMoney } from '../../common/money.ts';
import { Request, type RequestState } from '../../common/request.ts';
import { merchant, type MerchantProblem } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { field } from '../field.ts';
import { formatKpi, KPI_KINDS, kpiStrings } from './kpi-text.ts';

const strings = localize({
  title: ['Goals', 'Objectifs'],
  intro: [
    'A figure to reach by a date: “visits per active member from 1.5 to 2 by June”. Rates and averages are measured over the last 30 days, new members since the goal’s start.',
    'Un chiffre à atteindre pour une date : « visites par membre actif de 1,5 à 2 d’ici juin ». Taux et moyennes sont mesurés sur les 30 derniers jours, les nouveaux membres depuis le début de l’objectif.',
  ],
  none: ['No goal yet.', 'Aucun objectif pour l’instant.'],
  add: ['Add a goal', 'Ajouter un objectif'],
  edit: ['Edit', 'Modifier'],
  editWhat: [(label: string) => `Edit the goal “${label}”`, (label: string) => `Modifier l’objectif « ${label} »`],
  remove: ['Delete', 'Supprimer'],
  removeWhat: [(label: string) => `Delete the goal “${label}”`, (label: string) => `Supprimer l’objectif « ${label} »`],
  confirmRemove: [(label: string) => `Delete the goal “${label}”?`, (label: string) => `Supprimer l’objectif « ${label} » ?`],
  confirm: ['Yes, delete', 'Oui, supprimer'],
  cancel: ['Cancel', 'Annuler'],
  removing: ['Deleting…', 'Suppression…'],
  removed: ['The goal was deleted.', 'L’objectif a été supprimé.'],
  saved: ['The goal was saved.', 'L’objectif est enregistré.'],
  newTitle: ['New goal', 'Nouvel objectif'],
  editTitle: ['Edit the goal', 'Modifier l’objectif'],
  metric: ['Figure', 'Indicateur'],
  target: ['Target', 'Cible'],
  targetHint: [
    'Above today’s figure to raise it, below to lower it. Percentages from 0 to 100.',
    'Au-dessus du chiffre actuel pour le faire monter, en dessous pour le faire baisser. Pourcentages de 0 à 100.',
  ],
  from: ['Start', 'Début'],
  to: ['Deadline (included)', 'Échéance (incluse)'],
  baseline: ['Starting point (optional)', 'Point de départ (facultatif)'],
  baselineHint: [
    'Leave empty to measure it from your figures: as they stood the day before the start.',
    'Laissez vide pour le mesurer d’après vos chiffres : tels qu’ils étaient la veille du début.',
  ],
  save: ['Save the goal', 'Enregistrer l’objectif'],
  saving: ['Saving…', 'Enregistrement…'],
  notNumber: ['Enter a number.', 'Saisissez un nombre.'],
  missingDates: ['Choose both dates.', 'Choisissez les deux dates.'],
  backwards: ['The deadline must not be before the start.', 'L’échéance ne peut pas précéder le début.'],
  refused: [
    (detail: string) => `The server refused this goal: ${detail}`,
    (detail: string) => `Le serveur refuse cet objectif : ${detail}`,
  ],
  gone: ['This goal no longer exists.', 'Cet objectif n’existe plus.'],
  way: [(from: string, to: string) => `From ${from} to ${to}`, (from: string, to: string) => `De ${from} à ${to}`],
  toOnly: [(to: string) => `Target ${to}`, (to: string) => `Cible : ${to}`],
  by: [(date: string) => `by ${date}`, (date: string) => `d’ici le ${date}`],
  ended: [(date: string) => `ended ${date}`, (date: string) => `terminé le ${date}`],
  starts: [(date: string) => `starts ${date}`, (date: string) => `commence le ${date}`],
  now: [(value: string) => `Now ${value}`, (value: string) => `Aujourd’hui : ${value}`],
  progress: [(p: string) => `${p} of the way`, (p: string) => `${p} du chemin`],
  bar: [(label: string, p: string) => `${label}: ${p} of the way`, (label: string, p: string) => `${label} : ${p} du chemin`],
  state: [
    { onTrack: 'On track', behind: 'Behind', met: 'Met', missed: 'Missed' },
    { onTrack: 'En bonne voie', behind: 'En retard', met: 'Atteint', missed: 'Manqué' },
  ],
});

type State = 'onTrack' | 'behind' | 'met' | 'missed';
const stateOf = (g: Goal): State => (g.status === 'active' ? (g.onTrack ? 'onTrack' : 'behind') : g.status);

const METRICS = Object.keys(KPI_KINDS) as GoalMetric[];

/** The nearest deadline first, then the oldest: the server's order. */
const byDeadline = (a: Goal, b: Goal) => a.to.localeCompare(b.to) || a.createdAt.localeCompare(b.createdAt);

/** A decimal number as typed: "1.5", "1,5", "-20", "1 000"; undefined otherwise. */
function parseNumber(text: string): number | undefined {
  const t = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : undefined;
}

/** What the form holds while it is open. */
interface Draft {
  /** The goal being edited; none for a new one. */
  goal?: Goal;
  metric: GoalMetric;
  target: string;
  from: string;
  to: string;
  baseline: string;
}

/**
 * The goals section of the Figures screen (owner only): each goal as a progress bar from its
 * starting point to its target, with its deadline and whether it is on track, behind, met or
 * missed (`GET /api/merchant/goals`); adding, editing and deleting goals (after a confirmation).
 * Money is typed in the currency's units and sent in minor units.
 *
 * @event fd-signed-out - the server no longer knows this session (401).
 */
export class FdGoalsSection extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      .goals {
        display: grid;
        gap: 0.75em;
        padding: 0;
        list-style: none;
      }
      .goal {
        display: grid;
        gap: 0.375em;
        padding: 0.75em;
        border: 1px solid #d0d7de;
        border-radius: var(--r);
      }
      .goal h3 {
        font-size: 1em;
      }
      progress {
        width: 100%;
        height: 0.75em;
        appearance: none;
        border: 0;
        border-radius: 0.375em;
        background: #eaeef2;
        overflow: hidden;
        accent-color: var(--bar);
      }
      progress::-webkit-progress-bar {
        background: #eaeef2;
      }
      progress::-webkit-progress-value {
        background: var(--bar);
      }
      progress::-moz-progress-bar {
        background: var(--bar);
      }
      .goal {
        --bar: var(--p);
      }
      .goal.met {
        --bar: #1a7f37;
      }
      .goal.behind {
        --bar: #9a6700;
      }
      .goal.missed {
        --bar: #cf222e;
      }
      .badge {
        display: inline-block;
        margin-right: 0.5em;
        padding: 0 0.5em;
        border-radius: 1em;
        background: var(--bar);
        color: #fff;
        font-size: 0.875em;
        font-weight: 700;
      }
      .goal.behind .badge {
        background: #fff8c5;
        color: #4d2d00;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      form {
        display: grid;
        gap: 0.75em;
        padding: 0.75em;
        border: 1px solid #d0d7de;
        border-radius: var(--r);
      }
      .dates {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(9em, 1fr));
        gap: 0.75em;
      }
      .error {
        color: #a40e26;
        font-size: 0.875em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...ScreenElement.properties,
    draft: { state: true },
    invalid: { state: true },
    confirming: { state: true },
    notice: { state: true },
  };

  #list = new Request(this, (signal) => merchant<Goals>(signal, 'GET', 'goals'));
  #save = new Request(this, (signal, id: string | undefined, body: GoalInput | GoalPatch) =>
    id === undefined
      ? merchant<Goal>(signal, 'POST', 'goals', { body })
      : merchant<Goal>(signal, 'PATCH', `goals/${encodeURIComponent(id)}`, { body }),
  );
  #remove = new Request(this, async (signal, g: Goal) => {
    await merchant<void>(signal, 'DELETE', `goals/${encodeURIComponent(g.id)}`);
    return g;
  });

  /** The open form, if any. */
  protected draft?: Draft;
  /** The form as it opened: a draft that differs holds unsaved changes. */
  #opened?: string;
  /** Why the form cannot be sent, by field. */
  protected invalid: Partial<Record<'target' | 'dates' | 'baseline', string>> = {};
  /** The goal whose deletion is being confirmed. */
  protected confirming?: Goal;
  /** What was just done ("saved", "deleted"), announced. */
  protected notice = '';

  override willUpdate(): void {
    // Asked once `me` says this is the owner (staff would get 403).
    if (this.owner && this.#list.status === 'idle') void this.#list.run().then(() => this.checkSession(this.#list));
  }

  /** A goal's form open with changes not saved. */
  override get unsaved(): boolean {
    return !!this.draft && JSON.stringify(this.draft) !== this.#opened;
  }

  get #t() {
    return strings(this.locale);
  }

  get #goals(): Goal[] {
    const goals = this.#list.value?.goals;
    return Array.isArray(goals) ? goals : [];
  }

  /** Today in the merchant's time zone, as the server said; else this device's. */
  get #today(): string {
    const t = this.#list.value?.today;
    if (typeof t === 'string') return t;
    const d = new Date();
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }

  get #currency(): string {
    return this.program?.currency ?? 'EUR';
  }

  #label(metric: GoalMetric): string {
    return kpiStrings(this.locale).label[metric];
  }

  #value(metric: GoalMetric, v: number | null): string {
    return formatKpi(this.locale, metric, v, this.#currency);
  }

  /** A figure as typed in the form: money in the currency's units. */
  #input(metric: GoalMetric, v: number): string {
    if (KPI_KINDS[metric] === 'money') return moneyText(Math.round(v), currencyDigits(this.#currency), this.locale);
    return String(v);
  }

  /** What was typed, as the API wants it (money in minor units); undefined if it is no number. */
  #parse(metric: GoalMetric, text: string): number | undefined {
    if (KPI_KINDS[metric] === 'money') return parseMoney(text, currencyDigits(this.#currency));
    return parseNumber(text);
  }

  #date(day: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  }

  #percent(p: number): string {
    return new Intl.NumberFormat(this.locale, { style: 'percent', maximumFractionDigits: 0 }).format(p / 100);
  }

  async #open(goal?: Goal): Promise<void> {
    const today = this.#today;
    this.#save.reset();
    this.confirming = undefined;
    this.notice = '';
    this.invalid = {};
    this.draft = goal
      ? {
          goal,
          metric: goal.metric,
          target: this.#input(goal.metric, goal.target),
          from: goal.from,
          to: goal.to,
          baseline: goal.baselineMeasured || goal.baseline === null ? '' : this.#input(goal.metric, goal.baseline),
        }
      : { metric: 'purchaseFrequency', target: '', from: today, to: '', baseline: '' };
    this.#opened = JSON.stringify(this.draft);
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#goal-metric')?.focus();
  }

  async #close(): Promise<void> {
    const id = this.draft?.goal?.id;
    this.draft = undefined;
    this.invalid = {};
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(id ? `[data-edit="${id}"]` : '#add-goal')?.focus();
  }

  #set(key: 'metric' | 'target' | 'from' | 'to' | 'baseline', e: Event): void {
    if (this.draft) this.draft = { ...this.draft, [key]: (e.target as HTMLInputElement | HTMLSelectElement).value };
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const d = this.draft;
    if (!d || this.#save.status === 'pending') return;
    const t = this.#t;
    const target = this.#parse(d.metric, d.target);
    const baseline = d.baseline.trim() === '' ? undefined : this.#parse(d.metric, d.baseline);
    const invalid: typeof this.invalid = {};
    if (target === undefined) invalid.target = t.notNumber;
    if (d.baseline.trim() !== '' && baseline === undefined) invalid.baseline = t.notNumber;
    if (!d.from || !d.to) invalid.dates = t.missingDates;
    else if (d.from > d.to) invalid.dates = t.backwards;
    this.invalid = invalid;
    if (Object.keys(invalid).length) {
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
      return;
    }
    const body: GoalInput = { metric: d.metric, target: target!, from: d.from, to: d.to };
    if (baseline !== undefined) body.baseline = baseline;
    // Edited without a starting point: a given one is dropped (measured again); a measured one stays.
    const patch: GoalPatch = { ...body, ...(baseline === undefined && d.goal && !d.goal.baselineMeasured ? { baseline: null } : {}) };
    await this.#save.run(d.goal?.id, d.goal ? patch : body);
    this.checkSession(this.#save);
    const saved = this.#save.status === 'complete' ? this.#save.value : undefined;
    if (!saved) return;
    const list = this.#list.value;
    if (list) this.#list.value = { ...list, goals: [...this.#goals.filter((g) => g.id !== saved.id), saved].sort(byDeadline) };
    this.notice = t.saved;
    await this.#close();
  }

  async #ask(g: Goal): Promise<void> {
    this.#remove.reset();
    this.draft = undefined;
    this.notice = '';
    this.confirming = g;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm-goal')?.focus();
  }

  async #confirmRemove(): Promise<void> {
    const g = this.confirming;
    if (!g || this.#remove.status === 'pending') return;
    await this.#remove.run(g);
    this.checkSession(this.#remove);
    // Gone (204), or already gone (404): either way, not listed any more.
    if (this.#remove.status === 'complete' || this.#remove.error?.status === 404) {
      const list = this.#list.value;
      if (list) this.#list.value = { ...list, goals: this.#goals.filter((x) => x.id !== g.id) };
      this.confirming = undefined;
      this.notice = this.#t.removed;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#add-goal')?.focus();
    }
  }

  async #cancelRemove(): Promise<void> {
    const id = this.confirming?.id;
    this.confirming = undefined;
    this.#remove.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-remove="${id}"]`)?.focus();
  }

  /** A failed request: the owner-only message, the server's field errors, or the shared failure. */
  #error(r: RequestState<unknown>) {
    const p = r.error as MerchantProblem | undefined;
    if (p?.status === 403) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    if (p?.status === 404) return html`<p class="alert" role="alert">${this.#t.gone}</p>`;
    if (p?.status === 400) {
      const detail = p.errors.map((e) => `${e.path}: ${e.message}`).join('; ') || p.detail || this.m.failed;
      return html`<p class="alert" role="alert">${this.#t.refused(detail)}</p>`;
    }
    return this.failure(r);
  }

  #goal(g: Goal) {
    const t = this.#t;
    const label = this.#label(g.metric);
    const state = stateOf(g);
    const today = this.#today;
    const when = g.to < today ? t.ended(this.#date(g.to)) : g.from > today ? t.starts(this.#date(g.from)) : t.by(this.#date(g.to));
    const way =
      g.baseline === null
        ? t.toOnly(this.#value(g.metric, g.target))
        : t.way(this.#value(g.metric, g.baseline), this.#value(g.metric, g.target));
    const progress = this.#percent(g.progress);
    return html`<li class="goal ${state}" data-goal=${g.id}>
      <h3>${label}</h3>
      <p>${way}, ${when}</p>
      <progress max="100" .value=${g.progress} aria-label=${t.bar(label, progress)}></progress>
      <p>
        <span class="badge">${t.state[state]}</span>
        <span class="hint">${t.now(this.#value(g.metric, g.current))} · ${t.progress(progress)}</span>
      </p>
      <div class="row">
        <button
          class="btn ghost small"
          type="button"
          data-edit=${g.id}
          aria-label=${t.editWhat(label)}
          aria-expanded=${this.draft?.goal?.id === g.id}
          @click=${() => this.#open(g)}
        >
          ${t.edit}
        </button>
        <button
          class="btn ghost small"
          type="button"
          data-remove=${g.id}
          aria-label=${t.removeWhat(label)}
          aria-expanded=${this.confirming?.id === g.id}
          @click=${() => this.#ask(g)}
        >
          ${t.remove}
        </button>
      </div>
      ${this.draft?.goal?.id === g.id ? this.#form() : nothing} ${this.confirming?.id === g.id ? this.#confirmation(g, label) : nothing}
    </li>`;
  }

  #confirmation(g: Goal, label: string) {
    const t = this.#t;
    const busy = this.#remove.status === 'pending';
    return html`<div class="alert stack" role="alertdialog" aria-labelledby="confirm-goal" aria-modal="false">
      <p id="confirm-goal" tabindex="-1">${t.confirmRemove(label)}</p>
      ${this.#remove.status === 'error' ? this.#error(this.#remove) : nothing}
      <div class="row">
        <button class="btn small" type="button" aria-disabled=${busy} @click=${this.#confirmRemove}>
          ${busy ? t.removing : t.confirm}
        </button>
        <button class="btn ghost small" type="button" @click=${this.#cancelRemove}>${t.cancel}</button>
      </div>
    </div>`;
  }

  #form() {
    const d = this.draft!;
    const t = this.#t;
    const busy = this.#save.status === 'pending';
    const inv = this.invalid;
    const dateError = inv.dates;
    return html`<form @submit=${this.#submit} aria-labelledby="goal-form-title" novalidate>
      <h3 id="goal-form-title">${d.goal ? t.editTitle : t.newTitle}</h3>
      ${field(
        'goal-metric',
        t.metric,
        (w) =>
          html`<select id=${w.id} name="metric" @change=${(e: Event) => this.#set('metric', e)}>
            ${METRICS.map((k) => html`<option value=${k} ?selected=${d.metric === k}>${this.#label(k)}</option>`)}
          </select>`,
      )}
      ${field(
        'goal-target',
        t.target,
        (w) =>
          html`<input
            id=${w.id}
            name="target"
            inputmode="decimal"
            autocomplete="off"
            .value=${d.target}
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            @input=${(e: Event) => this.#set('target', e)}
          />`,
        { hint: t.targetHint, error: inv.target },
      )}
      <div class="dates">
        ${field(
          'goal-from',
          t.from,
          (w) =>
            html`<input
              id=${w.id}
              name="from"
              type="date"
              .value=${d.from}
              aria-describedby=${w.describedBy}
              aria-invalid=${w.invalid}
              @input=${(e: Event) => this.#set('from', e)}
            />`,
          { invalid: !!dateError && !d.from },
        )}
        ${field(
          'goal-to',
          t.to,
          (w) =>
            html`<input
              id=${w.id}
              name="to"
              type="date"
              min=${d.from || nothing}
              .value=${d.to}
              aria-describedby=${w.describedBy}
              aria-invalid=${w.invalid}
              @input=${(e: Event) => this.#set('to', e)}
            />`,
          { error: dateError },
        )}
      </div>
      ${field(
        'goal-baseline',
        t.baseline,
        (w) =>
          html`<input
            id=${w.id}
            name="baseline"
            inputmode="decimal"
            autocomplete="off"
            .value=${d.baseline}
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            @input=${(e: Event) => this.#set('baseline', e)}
          />`,
        { hint: t.baselineHint, error: inv.baseline },
      )}
      ${this.#save.status === 'error' ? this.#error(this.#save) : nothing}
      <div class="row">
        <button class="btn small" type="submit" aria-disabled=${busy}>${busy ? t.saving : t.save}</button>
        <button class="btn ghost small" type="button" @click=${this.#close}>${t.cancel}</button>
      </div>
    </form>`;
  }

  #body() {
    const l = this.#list;
    if (l.status === 'error') return this.#error(l);
    if (l.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    const t = this.#t;
    const goals = this.#goals;
    const adding = this.draft !== undefined && this.draft.goal === undefined;
    return html`${
      goals.length
        ? html`<ul class="goals" aria-label=${t.title}>
            ${goals.map((g) => this.#goal(g))}
          </ul>`
        : html`<p class="hint">${t.none}</p>`
    }
    ${this.notice ? html`<p class="alert ok" role="status">${this.notice}</p>` : nothing}
    ${
      adding
        ? this.#form()
        : html`<button id="add-goal" class="btn ghost small" type="button" @click=${() => this.#open()}>${t.add}</button>`
    }`;
  }

  override render() {
    const t = this.#t;
    if (this.me && !this.owner) return nothing;
    return html`<section class="stack" aria-labelledby="goals-title">
      <h2 id="goals-title">${t.title}</h2>
      <p class="hint">${t.intro}</p>
      ${this.#body()}
    </section>`;
  }
}

define('fd-goals-section', FdGoalsSection);

declare global {
  interface HTMLElementTagNameMap {
    'fd-goals-section': FdGoalsSection;
  }
}
