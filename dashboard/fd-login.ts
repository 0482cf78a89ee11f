import { html, nothing } from 'lit';
import { Request } from '../widget/request.ts';
import { merchant } from './api.ts';
import { DashboardElement, define } from './base.ts';

/**
 * The login form: email and password, POSTed to `/api/merchant/login`. The server sets the
 * session cookie (httpOnly: this element never sees it).
 *
 * @event fd-signed-in - the session is open.
 */
export class FdLogin extends DashboardElement {
  #login = new Request(this, (signal, body: { email: string; password: string }) => merchant<unknown>(signal, 'POST', 'login', { body }));

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#login.status === 'pending') return;
    const form = new FormData(e.target as HTMLFormElement);
    await this.#login.run({ email: String(form.get('email')).trim(), password: String(form.get('password')) });
    if (this.#login.status === 'complete') this.emit('fd-signed-in', undefined);
  }

  /** Why the login failed: the server's words for bad credentials (in English), the wait for too many tries. */
  #error() {
    const p = this.problem(this.#login);
    if (p?.status === 401) return html`<p class="alert" role="alert">${this.locale === 'en' && p.detail ? p.detail : this.m.badLogin}</p>`;
    if (p?.status === 429) return html`<p class="alert" role="alert">${this.m.tooMany(p.retryAfter || 60)}</p>`;
    if (p?.status === 400) return html`<p class="alert" role="alert">${this.m.badLogin}</p>`;
    return html`<p class="alert" role="alert">${p?.status ? this.m.failed : this.m.offline}</p>`;
  }

  override render() {
    const m = this.m;
    const pending = this.#login.status === 'pending';
    return html`<form class="stack" @submit=${this.#submit}>
      <h1>${m.loginTitle}</h1>
      <div class="field">
        <label for="email">${m.email}</label>
        <input id="email" name="email" type="email" autocomplete="username" required />
      </div>
      <div class="field">
        <label for="password">${m.password}</label>
        <input id="password" name="password" type="password" autocomplete="current-password" required />
      </div>
      ${this.#login.status === 'error' ? this.#error() : nothing}
      <div class="actions">
        <button class="btn" type="submit" aria-disabled=${pending}>${pending ? m.loggingIn : m.login}</button>
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
