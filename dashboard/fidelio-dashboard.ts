import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { Request } from '../widget/request.ts';
import { merchant, type Program } from './api.ts';
import { DashboardElement, define } from './base.ts';
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
 * The dashboard app: the login form without a session, else the counter, with the language
 * toggle and the log-out button. Asks `GET /api/merchant/program` to know which: 401 means
 * "log in". The first screen (login and counter) is in this chunk; later screens are to be
 * `import()`ed when opened (scanner, charts), so a phone at the counter loads only this.
 */
export class FidelioDashboard extends DashboardElement {
  static override styles = [
    DashboardElement.styles,
    css`
      :host {
        max-width: 40em;
        margin: 0 auto;
        padding: 0 1em;
      }
      header {
        display: flex;
        align-items: center;
        gap: 0.5em;
        padding: 0.75em 0;
        border-bottom: 1px solid #d0d7de;
        margin-bottom: 1em;
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
      .sessionEnded {
        margin-bottom: 1em;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ended: { state: true },
  };

  #program = new Request(this, (signal) => merchant<{ program: Program }>(signal, 'GET', 'program'));
  #logout = new Request(this, (signal) => merchant<void>(signal, 'POST', 'logout'));

  /** The server ended the session while the counter was open: say so above the login form. */
  protected ended = false;

  constructor() {
    super();
    this.language = savedLanguage();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    document.documentElement.lang = this.locale;
    if (this.#program.status === 'idle') void this.#program.run();
  }

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
    if (this.#logout.status === 'complete') void this.#program.run();
  }

  #signedIn = (): void => {
    this.ended = false;
    void this.#program.run();
  };

  #signedOut = (): void => {
    this.ended = true;
    void this.#program.run();
  };

  #screen() {
    const p = this.#program;
    const m = this.m;
    if (p.status === 'pending' || p.status === 'idle') return html`<p class="state" role="status">${m.loading}</p>`;
    if (p.status === 'error' && p.error?.status === 401)
      return html`${this.ended ? html`<p class="alert sessionEnded" role="alert">${m.sessionEnded}</p>` : nothing}
        <fd-login lang=${this.locale} .timeout=${this.timeout} @fd-signed-in=${this.#signedIn}></fd-login>`;
    if (p.status === 'error') return this.failure(p);
    return html`<fd-counter
      lang=${this.locale}
      .timeout=${this.timeout}
      .program=${p.value?.program}
      @fd-signed-out=${this.#signedOut}
    ></fd-counter>`;
  }

  override render() {
    const m = this.m;
    const signedIn = this.#program.status === 'complete';
    return html`<header>
        <strong>${signedIn ? this.#program.value?.program.name : 'fidelio'}</strong>
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
      ${this.#logout.status === 'error' ? this.failure(this.#logout) : nothing}
      <main>${this.#screen()}</main>`;
  }
}

define('fidelio-dashboard', FidelioDashboard);

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-dashboard': FidelioDashboard;
  }
}
