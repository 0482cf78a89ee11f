// The login and sign-up forms say what is wrong under the field, in the dashboard's words, not in
// the browser's validation bubbles (issue 16, "from real use"), as the staff forms do.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import '../../../dashboard/fd-login.ts';
import type { FdLogin } from '../../../dashboard/fd-login.ts';
import { $, focused } from '../support/dom.ts';
import { json, problem, stubFetch } from '../support/fetch.ts';
import { cafe, owner } from './fixtures.ts';

const errorOf = (el: FdLogin, id: string) => $(el, `#${id}-error`)?.textContent!.trim();
const input = (el: FdLogin, id: string) => $<HTMLInputElement>(el, `#${id}`)!;
const submit = (el: FdLogin) => $<HTMLButtonElement>(el, 'button[type=submit]')!.click();

async function fill(el: FdLogin, id: string, value: string) {
  input(el, id).focus();
  input(el, id).select();
  if (value) await sendKeys({ type: value });
  else await sendKeys({ press: 'Backspace' });
}

async function signupForm(lang = 'en') {
  const el = await fixture<FdLogin>(html`<fd-login lang=${lang} signup></fd-login>`);
  return el;
}

describe('<fd-login> fields', () => {
  let stub: ReturnType<typeof stubFetch> | undefined;
  afterEach(() => stub?.restore());

  it('has no browser validation: the form is novalidate, the password has no minlength', async () => {
    for (const el of [await fixture<FdLogin>(html`<fd-login lang="en"></fd-login>`), await signupForm()]) {
      expect($(el, 'form')!.hasAttribute('novalidate')).to.equal(true);
      expect(input(el, 'password').hasAttribute('minlength')).to.equal(false);
    }
  });

  it('sign-up: says under each field what is missing, focuses the first, and sends nothing', async () => {
    stub = stubFetch(() => json({ merchant: owner.merchant, program: cafe }, 201));
    const el = await signupForm();
    submit(el);
    await waitUntil(() => errorOf(el, 'businessName'), 'the errors are shown');
    expect(errorOf(el, 'businessName')).to.equal('Enter the name of your business.');
    expect(errorOf(el, 'email')).to.equal('Enter your email.');
    expect(errorOf(el, 'password')).to.equal('The password needs 10 characters or more: none typed yet.');
    for (const id of ['businessName', 'email', 'password']) {
      expect(input(el, id).getAttribute('aria-invalid'), id).to.equal('true');
      expect(input(el, id).getAttribute('aria-describedby'), id).to.contain(`${id}-error`);
    }
    expect(focused()).to.equal(input(el, 'businessName'));
    expect(stub.calls).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('sign-up: a short password and a malformed email, then fixed and sent', async () => {
    stub = stubFetch(() => json({ merchant: owner.merchant, program: cafe }, 201));
    const el = await signupForm();
    await fill(el, 'businessName', 'Café Lune');
    await fill(el, 'email', 'owner@');
    await fill(el, 'password', 'short');
    submit(el);
    await waitUntil(() => errorOf(el, 'email'), 'the errors are shown');
    expect(errorOf(el, 'businessName')).to.equal(undefined);
    expect(errorOf(el, 'email')).to.equal('Enter a valid email, like sam@example.com.');
    expect(errorOf(el, 'password')).to.equal('The password needs 10 characters or more: 5 typed.');
    expect(focused()).to.equal(input(el, 'email'));
    // Typing in a field takes its error away until the next try.
    await fill(el, 'email', 'owner@example.com');
    expect(errorOf(el, 'email')).to.equal(undefined);
    expect(errorOf(el, 'password')).to.not.equal(undefined);
    await fill(el, 'password', 'correct horse battery');
    submit(el);
    await waitUntil(() => stub!.calls.length === 1, 'sent');
    expect(stub.calls[0]!.body).to.deep.equal({ email: 'owner@example.com', password: 'correct horse battery', businessName: 'Café Lune' });
  });

  it('login: asks for the email and the password, in French too', async () => {
    stub = stubFetch(() => json({ merchant: owner.merchant }));
    const el = await fixture<FdLogin>(html`<fd-login lang="fr"></fd-login>`);
    submit(el);
    await waitUntil(() => errorOf(el, 'email'), 'the errors are shown');
    expect(errorOf(el, 'email')).to.equal('Saisissez votre e-mail.');
    expect(errorOf(el, 'password')).to.equal('Saisissez votre mot de passe.');
    await fill(el, 'email', 'moi@');
    submit(el);
    await waitUntil(() => errorOf(el, 'email') !== 'Saisissez votre e-mail.', 'the email error changes');
    expect(errorOf(el, 'email')).to.equal('Saisissez un e-mail valide, comme camille@exemple.fr.');
    expect(stub.calls).to.have.length(0);
    // A login password is not held to the new-password rule.
    await fill(el, 'email', 'moi@exemple.fr');
    await fill(el, 'password', 'court');
    submit(el);
    await waitUntil(() => stub!.calls.length === 1, 'sent');
  });

  it('sign-up: the server’s field errors show under their fields, with no second message', async () => {
    stub = stubFetch(() => problem(400, 'validation_failed', [{ path: 'email', message: 'Invalid email address' }]));
    const el = await signupForm();
    await fill(el, 'businessName', 'Café Lune');
    await fill(el, 'email', 'owner@example');
    await fill(el, 'password', 'correct horse battery');
    submit(el);
    await waitUntil(() => errorOf(el, 'email'), 'the error is shown');
    expect(errorOf(el, 'email')).to.equal('Invalid email address');
    expect($(el, '[role=alert]')).to.equal(null);
  });

  it('switching between the forms clears the errors', async () => {
    const el = await signupForm();
    submit(el);
    await waitUntil(() => errorOf(el, 'email'), 'the errors are shown');
    $<HTMLAnchorElement>(el, '.switch')!.click();
    await el.updateComplete;
    expect(errorOf(el, 'email')).to.equal(undefined);
    expect(input(el, 'email').hasAttribute('aria-invalid')).to.equal(false);
  });
});
