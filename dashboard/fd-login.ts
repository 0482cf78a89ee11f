import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { Credentials } from '../common/api.ts';
import { define } from '../common/define.ts';
import { Request } from '../common/request.ts';
import { merchant } from './api.ts';
import { DashboardElement } from './base.ts';
import { field, type FieldErrors as ErrorsOf, problemFieldErrors, withoutError } from './field.ts';

/** The fields whose errors show under them. */
type FieldErrors = ErrorsOf<'businessName' | 'email' | 'password'>;

/**
 * The login form (email and password, `POST /api/merchant/login`) and, one link away, the
 * sign-up form (business name too, `POST /api/merchant/signup`: the merchant gets a default
 * 10-stamp program). The server sets the session cookie (httpOnly: this element never sees it).
 *
 * The forms check their fields before sending (a business name, an email, a password, of 10
 * characters or more for a new account) and say what is wrong under the field, in the
 * dashboard's words, not the browser's; so do the server's field errors of a 400.
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
      .error {
        color: #b42318;
        font-size: 0.875em;
        font-weight: 600;
      }
      .field [aria-invalid='true'] {
        border: 2px solid #b42318;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...DashboardElement.properties,
    signup: { type: Boolean },
    errors: { state: true },
  };

  /** Show the sign-up form rather than the login form. */
  signup = false;
  /** What is wrong in the form, by field: found before sending, or the server's 400. */
  protected errors: FieldErrors = {};

  #send = new Request(this, (signal, path: 'login' | 'signup', body: Credentials) => merchant<unknown>(signal, 'POST', path, { body }));

  /** What is wrong with the fields, before anything is sent. */
  #check(form: HTMLFormElement, body: Credentials): FieldErrors {
    const m = this.m;
    const errors: FieldErrors = {};
    if (this.signup && !body.businessName) errors.businessName = m.businessNameMissing;
    if (!body.email) errors.email = m.emailMissing;
    else if ((form.elements.namedItem('email') as HTMLInputElement).validity.typeMismatch) errors.email = m.emailBad;
    if (!body.password) errors.password = this.signup ? m.passwordShort(0) : m.passwordMissing;
    else if (this.signup && body.password.length < 10) errors.password = m.passwordShort(body.password.length);
    return errors;
  }

  /** Shows `errors` under their fields (replacing the last ones) and gives the first one the focus; true if any. */
  #show(errors: FieldErrors): boolean {
    this.errors = errors;
    const first = (['businessName', 'email', 'password'] as const).find((k) => errors[k]);
    if (first) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${first}`)?.focus());
    return first !== undefined;
  }

  /** A field typed in again: its error goes until the next try. */
  #typed(key: keyof FieldErrors): void {
    this.errors = withoutError(this.errors, key);
  }

  /** A 400's field errors, by field. */
  #serverErrors(): FieldErrors {
    return problemFieldErrors(this.problem(this.#send), { businessName: 'businessName', email: 'email', password: 'password' });
  }

  async #submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#send.status === 'pending') return;
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const body: Credentials = { email: String(data.get('email')).trim(), password: String(data.get('password')) };
    if (this.signup) body.businessName = String(data.get('businessName')).trim();
    if (this.#show(this.#check(form, body))) return this.#send.reset();
    await this.#send.run(this.signup ? 'signup' : 'login', body);
    if (this.#send.status === 'complete') this.emit('fd-signed-in', undefined);
    else this.#show(this.#serverErrors());
  }

  #switch(e: Event): void {
    e.preventDefault();
    this.signup = !this.signup;
    this.errors = {};
    this.#send.reset();
  }

  /** Why it failed: bad credentials, the wait for too many tries, an email already taken. */
  #error() {
    const p = this.problem(this.#send);
    // A 400 whose errors show under the fields needs no second word above the button.
    if (p?.status === 400 && Object.keys(this.errors).length) return nothing;
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
    const errors = this.errors;
    return html`<form class="stack" novalidate @submit=${this.#submit}>
      <h1>${signup ? m.signupTitle : m.loginTitle}</h1>
      ${
        signup
          ? field(
              'businessName',
              m.businessName,
              (w) =>
                html`<input
                  id=${w.id}
                  name="businessName"
                  autocomplete="organization"
                  maxlength="100"
                  required
                  aria-describedby=${w.describedBy}
                  aria-invalid=${w.invalid}
                  @input=${() => this.#typed('businessName')}
                />`,
              { error: errors.businessName },
            )
          : nothing
      }
      ${field(
        'email',
        m.email,
        (w) =>
          html`<input
            id=${w.id}
            name="email"
            type="email"
            autocomplete=${signup ? 'email' : 'username'}
            required
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            @input=${() => this.#typed('email')}
          />`,
        { error: errors.email },
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
            required
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            @input=${() => this.#typed('password')}
          />`,
        { error: errors.password },
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
