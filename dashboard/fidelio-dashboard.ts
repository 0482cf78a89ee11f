import { css, html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { Me, Program } from '../common/api.ts';
import { define } from '../common/define.ts';
import { localize, type Locale } from '../common/localize.ts';
import { Request } from '../common/request.ts';
import { merchant } from './api.ts';
import { DashboardElement, ScreenElement } from './base.ts';
import type { Messages } from './i18n.ts';
import './fd-counter.ts';
import './fd-login.ts';

const LANG_KEY = 'fidelio-dashboard-lang';

/**
 * The cookie the server sets beside the session's at login and clears at logout
 * (`server/routes/merchant/session.ts`): readable here, unlike the session's, and no secret.
 * Without it the dashboard opens on the login form without asking `GET /me`, whose 401 the
 * browser would log as a failed request on every visit of a signed-out page.
 */
const SIGNED_IN = 'fidelio_signed_in';

const signedInHint = (): boolean => document.cookie.split(';').some((c) => c.trim() === `${SIGNED_IN}=1`);

/** Drops the hint: the session it stood for is over. */
function forgetSignedIn(): void {
  document.cookie = `${SIGNED_IN}=; Max-Age=0; Path=/; SameSite=Lax${location.protocol === 'https:' ? '; Secure' : ''}`;
}

/** The language chosen with the toggle on this device, if any. */
function savedLanguage(): string {
  try {
    return localStorage.getItem(LANG_KEY) ?? '';
  } catch {
    return '';
  }
}

/**
 * The screens, in the order of the menu, each at `#<name>`. The counter is in the first chunk;
 * the others are `import()`ed the first time they are opened, so a phone at the counter loads
 * only the counter. `owner`: hidden from staff (the server refuses them anyway, with 403).
 */
const SCREENS = {
  counter: { owner: false, load: () => Promise.resolve() },
  customers: { owner: false, load: () => import('./screens/fd-customers.ts') },
  program: { owner: true, load: () => import('./screens/fd-program.ts') },
  design: { owner: true, load: () => import('./screens/fd-design.ts') },
  messages: { owner: true, load: () => import('./screens/fd-messages.ts') },
  reviews: { owner: true, load: () => import('./screens/fd-reviews.ts') },
  kpis: { owner: true, load: () => import('./screens/fd-kpis.ts') },
  embed: { owner: true, load: () => import('./screens/fd-embed.ts') },
  staff: { owner: true, load: () => import('./screens/fd-staff.ts') },
  webhooks: { owner: true, load: () => import('./screens/fd-webhooks.ts') },
  import: { owner: true, load: () => import('./screens/fd-import.ts') },
} satisfies Record<string, { owner: boolean; load: () => Promise<unknown> }>;

export type Screen = keyof typeof SCREENS;

const isScreen = (s: string): s is Screen => Object.hasOwn(SCREENS, s);

/** The screen named by the address's hash (`#kpis`), else the counter. */
const screenFromHash = (): Screen => {
  const name = location.hash.slice(1);
  return isScreen(name) ? name : 'counter';
};

/** The menu labels of the screens the shared table (`i18n.ts`) does not name. */
const moreLabels = localize({
  webhooks: ['Webhooks', 'Webhooks'],
  import: ['Import', 'Import'],
});

/** The menu label of each screen. */
const label = (m: Messages, s: Screen, locale: Locale): string => ({ ...m.nav, ...moreLabels(locale) })[s];

interface Session {
  me: Me;
  program: Program;
}

/**
 * The dashboard app: the login / sign-up form without a session, else the menu and the
 * screen the address names, with the language toggle and the log-out button. With the
 * signed-in hint cookie it asks `GET /api/merchant/me` and `GET /api/merchant/program` (a 401
 * means "log in"); without it, it shows the login form and asks nothing.
 *
 * The menu is a strip that scrolls sideways on a phone: a fade with an arrow at an edge says
 * more links are that way. A screen with unsaved changes (`ScreenElement.unsaved`) is left,
 * for another screen or by logging out, only once the user confirms.
 *
 * Screens get `program` and `me`, and tell the shell through events: `fd-program-changed`
 * (the program was saved: the header and the other screens show the new one) and
 * `fd-signed-out` (the server no longer knows the session).
 */
export class FidelioDashboard extends DashboardElement {
  static override styles = [
    DashboardElement.styles,
    css`
      :host {
        max-width: 64em;
        margin: 0 auto;
        padding: 0 1em;
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.5em;
        padding: 0.75em 0;
      }
      /* The program's name, whole: on two lines rather than cut on a phone. */
      header strong {
        flex: 1;
        min-width: 0;
        line-height: 1.25;
        overflow-wrap: anywhere;
      }
      header .btn {
        padding: 0.25em 0.625em;
        font-size: 0.9375em;
      }
      .menu {
        position: relative;
        margin-bottom: 1em;
      }
      nav {
        display: flex;
        gap: 0.25em;
        overflow-x: auto;
        border-bottom: 1px solid #d0d7de;
        scrollbar-width: thin;
      }
      /* The strip's edges where links are hidden: a fade to white and an arrow. */
      .more {
        position: absolute;
        top: 0;
        bottom: 1px;
        display: flex;
        align-items: center;
        width: 2.5em;
        color: var(--p);
        font-size: 1.25em;
        font-weight: 700;
        pointer-events: none;
        opacity: 0;
        transition: opacity 0.15s;
      }
      .more.start {
        left: 0;
        background: linear-gradient(to right, #fff 40%, rgb(255 255 255 / 0));
      }
      .more.end {
        right: 0;
        justify-content: flex-end;
        background: linear-gradient(to left, #fff 40%, rgb(255 255 255 / 0));
      }
      .menu.start .more.start,
      .menu.end .more.end {
        opacity: 1;
      }
      nav a {
        flex: none;
        padding: 0.625em 0.75em;
        border-bottom: 3px solid transparent;
        color: #1f2328;
        text-decoration: none;
        white-space: nowrap;
      }
      nav a[aria-current='page'] {
        border-bottom-color: var(--p);
        color: var(--p);
        font-weight: 700;
      }
      .sessionEnded {
        margin-bottom: 1em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ended: { state: true },
    out: { state: true },
    screen: { state: true },
    clipped: { state: true },
  };

  #session = new Request(this, async (signal): Promise<Session> => {
    const [me, { program }] = await Promise.all([
      merchant<Me>(signal, 'GET', 'me'),
      merchant<{ program: Program }>(signal, 'GET', 'program'),
    ]);
    return { me, program };
  });
  #logout = new Request(this, (signal) => merchant<void>(signal, 'POST', 'logout'));
  /** Loading the open screen's code (its chunk). */
  #chunk = new Request(this, async (_signal, s: Screen) => {
    await SCREENS[s].load();
  });

  /** Sizes of the menu strip and its links: which ends hide links. */
  #resize = new ResizeObserver(() => this.#measure());
  #observed = new WeakSet<Element>();
  /** A menu link was followed after the user agreed to leave unsaved changes: not asked again. */
  #leaving = false;

  /** The server ended the session while a screen was open: say so above the login form. */
  protected ended = false;
  /** Signed out (no hint, a 401, logged out): the login form, without asking the server. */
  protected out = false;
  /** The screen the address names. */
  protected screen: Screen = screenFromHash();
  /** The ends of the menu strip that hide links (it scrolls that way). */
  protected clipped = { start: false, end: false };

  constructor() {
    super();
    this.language = savedLanguage();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this.locale;
    addEventListener('hashchange', this.#route);
    if (this.#session.status === 'idle' && !this.out) {
      if (signedInHint()) void this.#start();
      else this.out = true;
    }
    void this.#chunk.run(this.screen);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.#route);
    this.#resize.disconnect();
    this.#observed = new WeakSet();
  }

  protected override updated(changed: PropertyValues): void {
    const nav = this.renderRoot.querySelector('nav');
    if (!nav) return;
    const shown = !this.#observed.has(nav);
    // The strip and each link: a resize or another language changes what the strip hides.
    for (const el of [nav, ...nav.children]) {
      if (this.#observed.has(el)) continue;
      this.#observed.add(el);
      this.#resize.observe(el);
    }
    if (shown || changed.has('screen')) this.#reveal(nav);
  }

  /** Which ends of the menu strip hide links. */
  #measure(): void {
    const nav = this.renderRoot.querySelector('nav');
    const start = !!nav && nav.scrollLeft > 1;
    const end = !!nav && nav.scrollLeft + nav.clientWidth < nav.scrollWidth - 1;
    if (start !== this.clipped.start || end !== this.clipped.end) this.clipped = { start, end };
  }

  /** Scrolls the strip to show the open screen's link, when it is hidden. */
  #reveal(nav: HTMLElement): void {
    const link = nav.querySelector('[aria-current=page]');
    if (!link) return;
    const strip = nav.getBoundingClientRect();
    const a = link.getBoundingClientRect();
    if (a.left < strip.left || a.right > strip.right) nav.scrollLeft += a.left - strip.left - (strip.width - a.width) / 2;
  }

  /** True when the open screen holds no unsaved changes, or the user agrees to lose them. */
  #mayLeave(): boolean {
    const open = this.renderRoot.querySelector('main')?.firstElementChild;
    return !(open instanceof ScreenElement && open.unsaved) || confirm(this.m.leaveUnsaved);
  }

  /** A menu link: asks before leaving unsaved changes, and stays when the user says no. */
  #follow(e: MouseEvent): void {
    const link = (e.target as Element).closest('a');
    if (!link || link.getAttribute('href') === `#${this.screen}`) return;
    if (this.#mayLeave()) this.#leaving = true;
    else e.preventDefault();
  }

  #route = (): void => {
    const next = screenFromHash();
    if (next === this.screen) return;
    const agreed = this.#leaving;
    this.#leaving = false;
    // Back, forward or a typed address: the address goes back to the open screen if the user stays.
    if (!agreed && !this.#mayLeave()) return void history.replaceState(history.state, '', `#${this.screen}`);
    this.screen = next;
    void this.#chunk.run(next);
    this.renderRoot.querySelector('main')?.focus?.();
  };

  #toggleLanguage(): void {
    this.language = this.locale === 'fr' ? 'en' : 'fr';
    document.documentElement.lang = this.language;
    try {
      localStorage.setItem(LANG_KEY, this.language);
    } catch {
      // Private browsing without storage: the choice lasts for this page.
    }
  }

  async #logOut(): Promise<void> {
    if (this.#logout.status === 'pending' || !this.#mayLeave()) return;
    await this.#logout.run();
    if (this.#logout.status === 'complete') this.#end();
  }

  /** Asks who is signed in; a 401 (the session is gone, the hint outlived it) opens the login form. */
  async #start(): Promise<void> {
    this.out = false;
    await this.#session.run();
    if (this.#session.status === 'error' && this.#session.error?.status === 401) this.#end();
  }

  /** No session any more: the login form, and nothing asked at the next visit. */
  #end(): void {
    forgetSignedIn();
    this.#session.reset();
    this.out = true;
  }

  #signedIn = (): void => {
    this.ended = false;
    void this.#start();
  };

  #signedOut = (): void => {
    this.ended = true;
    this.#end();
  };

  #programChanged = (e: CustomEvent<Program>): void => {
    if (this.#session.value) this.#session.value = { ...this.#session.value, program: e.detail };
    this.requestUpdate();
  };

  /** The open screen, given the session's program and user. */
  #open(s: Session): TemplateResult {
    const { me, program } = s;
    const lang = this.locale;
    const t = this.timeout;
    if (SCREENS[this.screen].owner && me.role !== 'owner') return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    if (this.#chunk.status === 'error') return this.failure(this.#chunk);
    if (this.#chunk.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    switch (this.screen) {
      case 'counter':
        return html`<fd-counter lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-counter>`;
      case 'customers':
        return html`<fd-customers lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-customers>`;
      case 'program':
        return html`<fd-program lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-program>`;
      case 'design':
        return html`<fd-design lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-design>`;
      case 'messages':
        return html`<fd-messages lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-messages>`;
      case 'reviews':
        return html`<fd-reviews lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-reviews>`;
      case 'kpis':
        return html`<fd-kpis lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-kpis>`;
      case 'embed':
        return html`<fd-embed lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-embed>`;
      case 'staff':
        return html`<fd-staff lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-staff>`;
      case 'webhooks':
        return html`<fd-webhooks lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-webhooks>`;
      case 'import':
        return html`<fd-import lang=${lang} .timeout=${t} .program=${program} .me=${me}></fd-import>`;
    }
  }

  #nav(me: Me): TemplateResult {
    const m = this.m;
    const screens = (Object.keys(SCREENS) as Screen[]).filter((s) => me.role === 'owner' || !SCREENS[s].owner);
    const { start, end } = this.clipped;
    return html`<div class="menu ${start ? 'start' : ''} ${end ? 'end' : ''}" part="menu">
      <nav aria-label=${m.menu} @scroll=${this.#measure} @click=${this.#follow}>
        ${screens.map((s) => html`<a href="#${s}" aria-current=${s === this.screen ? 'page' : nothing}>${label(m, s, this.locale)}</a>`)}
      </nav>
      <span class="more start" aria-hidden="true">‹</span>
      <span class="more end" aria-hidden="true">›</span>
    </div>`;
  }

  #body() {
    const s = this.#session;
    const m = this.m;
    if (this.out)
      return html`${this.ended ? html`<p class="alert sessionEnded" role="alert">${m.sessionEnded}</p>` : nothing}
        <fd-login lang=${this.locale} .timeout=${this.timeout} @fd-signed-in=${this.#signedIn}></fd-login>`;
    if (s.status === 'pending' || s.status === 'idle') return html`<p class="state" role="status">${m.loading}</p>`;
    if (s.status === 'error' || !s.value) return this.failure(s);
    return html`${this.#nav(s.value.me)}
      <main tabindex="-1" @fd-signed-out=${this.#signedOut} @fd-program-changed=${this.#programChanged}>${this.#open(s.value)}</main>`;
  }

  override render() {
    const m = this.m;
    const signedIn = !this.out && this.#session.status === 'complete';
    return html`<header>
        <strong>${signedIn ? this.#session.value?.program.name : 'fidelio'}</strong>
        <button
          class="btn ghost small"
          type="button"
          lang=${this.locale === 'fr' ? 'en' : 'fr'}
          aria-label=${m.switchLabel}
          @click=${this.#toggleLanguage}
        >
          ${m.switchTo}
        </button>
        ${
          signedIn
            ? html`<button class="btn ghost small" type="button" aria-disabled=${this.#logout.status === 'pending'} @click=${this.#logOut}>
                ${m.logout}
              </button>`
            : nothing
        }
      </header>
      ${this.#logout.status === 'error' ? this.failure(this.#logout) : nothing} ${this.#body()}`;
  }
}

define('fidelio-dashboard', FidelioDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-dashboard': FidelioDashboard;
  }
  interface GlobalEventHandlersEventMap {
    'fd-program-changed': CustomEvent<Program>;
  }
}
