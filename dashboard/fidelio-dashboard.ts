import { css, html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { Me, Program } from '../common/api.ts';
import { define } from '../common/define.ts';
import { localize, type Locale } from '../common/localize.ts';
import { Request } from '../common/request.ts';
import { merchant } from './api.ts';
import { DashboardElement } from './base.ts';
import type { Messages } from './i18n.ts';
import './fd-counter.ts';
import './fd-login.ts';

const LANG_KEY = 'fidelio-dashboard-lang';

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
  import: ['Import', 'Importer'],
});

/** The menu label of each screen. */
const label = (m: Messages, s: Screen, locale: Locale): string => ({ ...m.nav, ...moreLabels(locale) })[s];

interface Session {
  me: Me;
  program: Program;
}

/**
 * The dashboard app: the login / sign-up form without a session, else the menu and the
 * screen the address names, with the language toggle and the log-out button. Asks
 * `GET /api/merchant/me` and `GET /api/merchant/program` to know which: 401 means "log in".
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
      header strong {
        flex: 1;
        min-width: 0;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
      }
      header .btn {
        padding: 0.25em 0.625em;
        font-size: 0.9375em;
      }
      nav {
        display: flex;
        gap: 0.25em;
        overflow-x: auto;
        border-bottom: 1px solid #d0d7de;
        margin-bottom: 1em;
        scrollbar-width: thin;
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
    screen: { state: true },
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

  /** The server ended the session while a screen was open: say so above the login form. */
  protected ended = false;
  /** The screen the address names. */
  protected screen: Screen = screenFromHash();

  constructor() {
    super();
    this.language = savedLanguage();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this.locale;
    addEventListener('hashchange', this.#route);
    if (this.#session.status === 'idle') void this.#session.run();
    void this.#chunk.run(this.screen);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    removeEventListener('hashchange', this.#route);
  }

  #route = (): void => {
    const next = screenFromHash();
    if (next === this.screen) return;
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
    if (this.#logout.status === 'pending') return;
    await this.#logout.run();
    if (this.#logout.status === 'complete') void this.#session.run();
  }

  #signedIn = (): void => {
    this.ended = false;
    void this.#session.run();
  };

  #signedOut = (): void => {
    this.ended = true;
    void this.#session.run();
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
    return html`<nav aria-label=${m.menu}>
      ${screens.map((s) => html`<a href="#${s}" aria-current=${s === this.screen ? 'page' : nothing}>${label(m, s, this.locale)}</a>`)}
    </nav>`;
  }

  #body() {
    const s = this.#session;
    const m = this.m;
    if (s.status === 'pending' || s.status === 'idle') return html`<p class="state" role="status">${m.loading}</p>`;
    if (s.status === 'error' && s.error?.status === 401)
      return html`${this.ended ? html`<p class="alert sessionEnded" role="alert">${m.sessionEnded}</p>` : nothing}
        <fd-login lang=${this.locale} .timeout=${this.timeout} @fd-signed-in=${this.#signedIn}></fd-login>`;
    if (s.status === 'error' || !s.value) return this.failure(s);
    return html`${this.#nav(s.value.me)}
      <main tabindex="-1" @fd-signed-out=${this.#signedOut} @fd-program-changed=${this.#programChanged}>${this.#open(s.value)}</main>`;
  }

  override render() {
    const m = this.m;
    const signedIn = this.#session.status === 'complete';
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
