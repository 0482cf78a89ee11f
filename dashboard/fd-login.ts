import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { Credentials } from '../common/api.ts';
import { define } from '../common/define.ts';
import { Request } from '../common/request.ts';
import { merchant } from './api.ts';
import { DashboardElement } from './base.ts';
import { field } from './field.ts';

/**
 * The login form (email and password, `POST /api/merchant/login`) and, one link away, the
 * sign-up form (business name too, `POST /api/merchant/signup`: the merchant gets a default
 * 10-stamp program). The server sets the session cookie (httpOnly: this element never sees it).
 *
 * @event fd-signed-in - the session is open.
 */
export class FdLogin extends DashboardElement {
  static override styles = [
    DashboardElement.styles,
    css`
      .switch {
        display: block;
        padding: 0.75em;
        text-align: center;
        color: var(--p);
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...DashboardElement.properties,
    signup: { type: Boolean },
  };

  /** Show the sign-up form rather than the login form. */
  signup = false;

  #send = new Request(this, (signal, path: 'login' | 'signup', body: Credentials) => merchant<unknown>(signal, 'POST', path, { body }));

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#send.status === 'pending') return;
    const form = new FormData(e.target as HTMLFormElement);
    const body: Credentials = { email: String(form.get('email')).trim(), password: String(form.get('password')) };
    if (this.signup) body.businessName = String(form.get('businessName')).trim();
    await this.#send.run(this.signup ? 'signup' : 'login', body);
    if (this.#send.status === 'complete') this.emit('fd-signed-in', undefined);
  }

  #switch(e: Event): void {
    e.preventDefault();
    this.signup = !this.signup;
    this.#send.reset();
  }

  /** Why it failed: bad credentials, the wait for too many tries, an email already taken. */
  #error() {
    const p = this.problem(this.#send);
    const m = this.m;
    let text = p?.status ? m.failed : m.offline;
    if (p?.status === 429) text = m.tooMany(p.retryAfter || 60);
    else if (this.signup && p?.status === 409) text = m.emailTaken;
    else if (this.signup && p?.status === 400) text = m.badSignup;
    else if (p?.status === 401) text = this.locale === 'en' && p.detail ? p.detail : m.badLogin;
    else if (p?.status === 400) text = m.badLogin;
    return html`<p class="alert" role="alert">${text}</p>`;
  }

  override render() {
    const m = this.m;
    const pending = this.#send.status === 'pending';
    const signup = this.signup;
    return html`<form class="stack" @submit=${this.#submit}>
      <h1>${signup ? m.signupTitle : m.loginTitle}</h1>
      ${
        signup
          ? field(
              'businessName',
              m.businessName,
              (w) => html`<input id=${w.id} name="businessName" autocomplete="organization" maxlength="100" required />`,
            )
          : nothing
      }
      ${field(
        'email',
        m.email,
        (w) => html`<input id=${w.id} name="email" type="email" autocomplete=${signup ? 'email' : 'username'} required />`,
      )}
      ${field(
        'password',
        signup ? m.newPassword : m.password,
        (w) =>
          html`<input
            id=${w.id}
            name="password"
            type="password"
            autocomplete=${signup ? 'new-password' : 'current-password'}
            minlength=${signup ? 10 : nothing}
            required
          />`,
      )}
      ${this.#send.status === 'error' ? this.#error() : nothing}
      <div class="actions">
        <button class="btn" type="submit" aria-disabled=${pending}>
          ${pending ? (signup ? m.signingUp : m.loggingIn) : signup ? m.signup : m.login}
        </button>
        <a class="switch" href="#" @click=${this.#switch}>${signup ? m.toLogin : m.toSignup}</a>
      </div>
    </form>`;
  }
}

define('fd-login', FdLogin);

declare global {
  interface HTMLElementTagNameMap {
    'fd-login': FdLogin;
  }
  interface GlobalEventHandlersEventMap {
    'fd-signed-in': CustomEvent<undefined>;
  }
}
