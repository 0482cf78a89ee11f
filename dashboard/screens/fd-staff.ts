import { css, html, nothing, type PropertyDeclarations } from 'lit';
import type { ApiKeyInfo, ApiKeys, NewApiKey, ShopLocation, StaffMember } from '../../common/api.ts';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { Request, type RequestState } from '../../common/request.ts';
import { merchant, type MerchantProblem } from '../api.ts';
import { ScreenElement } from '../base.ts';
import { edited, field, type FieldErrors as ErrorsOf, problemFieldErrors, withoutError } from '../field.ts';

const strings = localize({
  team: ['Team', 'Équipe'],
  teamIntro: [
    'Staff log in with their own email and password: they use the counter and look customers up, nothing else.',
    'Chaque employé se connecte avec son propre e-mail et mot de passe : il utilise la caisse et consulte les clients, rien d’autre.',
  ],
  owner: ['Owner', 'Responsable'],
  staff: ['Staff', 'Employé'],
  you: ['(you)', '(vous)'],
  remove: ['Remove', 'Retirer'],
  removeWho: [(email: string) => `Remove ${email}`, (email: string) => `Retirer ${email}`],
  confirmRemove: [
    (email: string) => `Remove ${email} from the team? They are logged out at once and can no longer log in.`,
    (email: string) => `Retirer ${email} de l’équipe ? Cette personne est déconnectée aussitôt et ne pourra plus se connecter.`,
  ],
  confirm: ['Yes, remove', 'Oui, retirer'],
  cancel: ['Cancel', 'Annuler'],
  removing: ['Removing…', 'Retrait…'],
  removed: [(email: string) => `${email} was removed from the team.`, (email: string) => `${email} a été retiré de l’équipe.`],
  addTitle: ['Add someone', 'Ajouter quelqu’un'],
  email: ['Email', 'E-mail'],
  password: ['Password', 'Mot de passe'],
  passwordHint: [
    '10 characters or more. Give it to them in person; they log in at this page’s address.',
    '10 caractères ou plus. Donnez-le en main propre ; la connexion se fait à l’adresse de cette page.',
  ],
  add: ['Add to the team', 'Ajouter à l’équipe'],
  adding: ['Adding…', 'Ajout…'],
  added: [(email: string) => `${email} can now log in.`, (email: string) => `${email} peut maintenant se connecter.`],
  taken: ['An account already exists with this email.', 'Un compte existe déjà avec cet e-mail.'],
  emailMissing: ['Enter their email.', 'Saisissez l’e-mail de la personne.'],
  emailBad: ['Enter a valid email, like sam@example.com.', 'Saisissez un e-mail valide, comme camille@exemple.fr.'],
  passwordShort: [
    (n: number) => `The password needs 10 characters or more: ${n === 0 ? 'none typed yet' : `${n} typed`}.`,
    (n: number) => `Le mot de passe doit faire 10 caractères ou plus : ${n === 0 ? 'aucun saisi' : `${n} saisi${n > 1 ? 's' : ''}`}.`,
  ],
  badFields: [
    'Check the fields: a valid email, and a password of 10 characters or more.',
    'Vérifiez les champs : un e-mail valide, et un mot de passe de 10 caractères ou plus.',
  ],
  keysTitle: ['API key for a till', 'Clé d’API pour une caisse'],
  keysIntro: [
    'A till or point-of-sale system can add stamps and purchases itself, with a key sent as “Authorization: Bearer <key>”.',
    'Une caisse ou un logiciel d’encaissement peut ajouter lui-même tampons et achats, avec une clé envoyée dans l’en-tête « Authorization: Bearer <clé> ».',
  ],
  keyName: ['Name of the till', 'Nom de la caisse'],
  keyNameHint: ['For example “Front counter”.', 'Par exemple « Comptoir ».'],
  keyNameMissing: ['Give the till a name.', 'Donnez un nom à la caisse.'],
  createKey: ['Create a key', 'Créer une clé'],
  creating: ['Creating…', 'Création…'],
  newKey: [(name: string) => `The key for “${name}”`, (name: string) => `La clé de « ${name} »`],
  once: [
    'Copy it now and keep it safe: it will not be shown again.',
    'Copiez-la maintenant et gardez-la en lieu sûr : elle ne sera plus affichée.',
  ],
  copy: ['Copy the key', 'Copier la clé'],
  copied: ['Copied.', 'Copié.'],
  copyFailed: [
    'Copying is not allowed here: the key is selected, copy it with Ctrl+C.',
    'La copie est bloquée ici : la clé est sélectionnée, copiez-la avec Ctrl+C.',
  ],
  done: ['I have copied it', 'Je l’ai copiée'],
  shop: ['Shop', 'Boutique'],
  shopHint: [
    'A staff account or key tied to one shop records its visits there.',
    'Un compte ou une clé liés à une boutique y enregistrent les visites.',
  ],
  everyShop: ['Every shop', 'Toutes les boutiques'],
  goneShop: ['A shop no longer listed', 'Une boutique qui n’existe plus'],
  keysList: ['Till keys', 'Clés des caisses'],
  noKeys: ['No key yet.', 'Aucune clé pour l’instant.'],
  created: [(d: string) => `Created ${d}`, (d: string) => `Créée le ${d}`],
  lastUsed: [(d: string) => `last used ${d}`, (d: string) => `dernière utilisation le ${d}`],
  neverUsed: ['never used', 'jamais utilisée'],
  revoke: ['Revoke', 'Révoquer'],
  revokeWhich: [(name: string) => `Revoke the key “${name}”`, (name: string) => `Révoquer la clé « ${name} »`],
  confirmRevoke: [
    (name: string) => `Revoke the key “${name}”? The till using it can no longer add stamps or purchases. This cannot be undone.`,
    (name: string) =>
      `Révoquer la clé « ${name} » ? La caisse qui l’utilise ne pourra plus ajouter de tampons ni d’achats. C’est définitif.`,
  ],
  confirmRevokeYes: ['Yes, revoke', 'Oui, révoquer'],
  revoking: ['Revoking…', 'Révocation…'],
  revoked: [(name: string) => `The key “${name}” was revoked.`, (name: string) => `La clé « ${name} » a été révoquée.`],
});

/** The fields of the screen's forms whose errors show under them. */
type FieldErrors = ErrorsOf<'email' | 'password' | 'key-name'>;

/**
 * The "Staff" screen (owner only): the team (the owner, marked as such, and the staff
 * accounts), adding a staff account, removing one after a confirmation that names them (their
 * sessions end with it), and the tills' API keys: listed (never their secret), revoked after a
 * confirmation that names the key, and created (the new key shown once). When the program has
 * shops (`program.locations`), a staff account and a key can be tied to one of them.
 *
 * The forms check their fields before sending (an email, a password of 10 characters or more, a
 * till's name) and say what is wrong under the field, in the dashboard's words, not the browser's.
 */
export class FdStaff extends ScreenElement {
  static override styles = [
    ScreenElement.styles,
    css`
      h2 {
        font-size: 1.25em;
      }
      form {
        display: grid;
        gap: 0.75em;
      }
      .team,
      .keys {
        padding: 0;
        list-style: none;
      }
      .team li,
      .keys li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5em 1em;
        padding: 0.75em 0;
        border-bottom: 1px solid #d0d7de;
      }
      .who {
        flex: 1;
        min-width: 12em;
        overflow-wrap: anywhere;
      }
      .role {
        display: block;
        color: #57606a;
        font-size: 0.875em;
      }
      .key {
        display: block;
        padding: 0.75em 1em;
        border: 1px solid #d0d7de;
        border-radius: 8px;
        background: #f6f8fa;
        font:
          0.9375em/1.5 ui-monospace,
          monospace;
        overflow-wrap: anywhere;
        user-select: all;
      }
      .row {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5em;
      }
      .prefix {
        font-family: ui-monospace, monospace;
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
    ...ScreenElement.properties,
    confirming: { state: true },
    revoking: { state: true },
    revoked: { state: true },
    copied: { state: true },
    errors: { state: true },
  };

  #list = new Request(this, (signal) => merchant<{ staff: StaffMember[] }>(signal, 'GET', 'staff'));
  #add = new Request(this, (signal, body: { email: string; password: string; locationId?: string | null }) =>
    merchant<StaffMember>(signal, 'POST', 'staff', { body }),
  );
  #remove = new Request(this, async (signal, m: StaffMember) => {
    await merchant<void>(signal, 'DELETE', `staff/${encodeURIComponent(m.id)}`);
    return m;
  });
  #key = new Request(this, (signal, body: { name: string; locationId?: string | null }) =>
    merchant<NewApiKey>(signal, 'POST', 'api-keys', { body }),
  );
  #keyList = new Request(this, (signal) => merchant<ApiKeys>(signal, 'GET', 'api-keys'));
  #revoke = new Request(this, async (signal, k: ApiKeyInfo) => {
    await merchant<void>(signal, 'DELETE', `api-keys/${encodeURIComponent(k.id)}`);
    return k;
  });

  /** The member whose removal is being confirmed. */
  protected confirming?: StaffMember;
  /** The key whose revocation is being confirmed. */
  protected revoking?: ApiKeyInfo;
  /** The key last revoked, to say so. */
  protected revoked?: ApiKeyInfo;
  /** The new key was copied (true), or the clipboard refused and it was selected (false). */
  protected copied?: boolean;
  /** What is wrong in the forms, by field: found before sending, or the server's 400. */
  protected errors: FieldErrors = {};

  override willUpdate(): void {
    // Asked once `me` says this is the owner (staff would get 403).
    if (this.owner && this.#list.status === 'idle') void this.#list.run().then(() => this.checkSession(this.#list));
    if (this.owner && this.#keyList.status === 'idle') void this.#keyList.run().then(() => this.checkSession(this.#keyList));
  }

  /** The program's shops: none, and nobody is asked which one. */
  get #shops(): ShopLocation[] {
    return this.program?.locations ?? [];
  }

  /** The shop chosen in a form's select, when it has one: `null` for every shop. */
  #shopOf(data: FormData): { locationId?: string | null } {
    return this.#shops.length ? { locationId: String(data.get('locationId') ?? '') || null } : {};
  }

  /** Where an account or a key belongs, in words; nothing when the program has no shops and it is tied to none. */
  #shopName(locationId: string | null | undefined): string | undefined {
    const s = strings(this.locale);
    if (!locationId) return this.#shops.length ? s.everyShop : undefined;
    return this.#shops.find((l) => l.id === locationId)?.name ?? s.goneShop;
  }

  #date(iso: string): string {
    return new Intl.DateTimeFormat(this.locale, { dateStyle: 'medium' }).format(new Date(iso));
  }

  /** The keys as listed, with those created and revoked since. */
  get #keysNow(): ApiKeyInfo[] {
    return this.#keyList.value?.keys ?? [];
  }

  /** The team as listed, with who was added and removed since. */
  get #team(): StaffMember[] {
    return this.#list.value?.staff ?? [];
  }

  /** Something typed in a form of the screen and not sent: leaving it would lose it. */
  override get unsaved(): boolean {
    return [...this.renderRoot.querySelectorAll('form')].some(edited);
  }

  /** Shows `errors` under the fields `keys` (none: clears theirs) and gives the first one the focus; true if any. */
  #show(errors: FieldErrors, keys: (keyof FieldErrors)[]): boolean {
    const first = keys.find((k) => errors[k]);
    if (!first && keys.every((k) => !this.errors[k])) return false;
    const rest = { ...this.errors };
    for (const k of keys) delete rest[k];
    this.errors = { ...rest, ...errors };
    if (first) void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`#${first}`)?.focus());
    return Boolean(first);
  }

  /** A field typed in again: its error goes until the next try. */
  #typed(key: keyof FieldErrors): void {
    this.errors = withoutError(this.errors, key);
  }

  /** A 400's field errors, by field (`email`, `password`, the key's `name`). */
  #serverErrors(r: RequestState<unknown>, fields: Record<string, keyof FieldErrors>): FieldErrors {
    return problemFieldErrors(r.error as MerchantProblem | undefined, fields);
  }

  async #submitAdd(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#add.status === 'pending') return;
    const s = strings(this.locale);
    const form = e.target as HTMLFormElement;
    const data = new FormData(form);
    const email = String(data.get('email')).trim();
    const password = String(data.get('password'));
    const errors: FieldErrors = {};
    if (!email) errors.email = s.emailMissing;
    else if ((form.elements.namedItem('email') as HTMLInputElement).validity.typeMismatch) errors.email = s.emailBad;
    if (password.length < 10) errors.password = s.passwordShort(password.length);
    if (this.#show(errors, ['email', 'password'])) return this.#add.reset();
    await this.#add.run({ email, password, ...this.#shopOf(data) });
    this.checkSession(this.#add);
    const added = this.#add.status === 'complete' ? this.#add.value : undefined;
    if (added && this.#list.value) {
      this.#list.value = { staff: [...this.#team.filter((m) => m.id !== added.id), added] };
      form.reset();
      this.requestUpdate();
    }
    this.#show(this.#serverErrors(this.#add, { email: 'email', password: 'password' }), ['email', 'password']);
  }

  async #ask(m: StaffMember): Promise<void> {
    this.#remove.reset();
    this.confirming = m;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm')?.focus();
  }

  async #confirmRemove(): Promise<void> {
    const m = this.confirming;
    if (!m || this.#remove.status === 'pending') return;
    await this.#remove.run(m);
    this.checkSession(this.#remove);
    // Gone (204), or already gone (404): either way, not on the team any more.
    if (this.#remove.status === 'complete' || this.#remove.error?.status === 404) {
      if (this.#list.value) this.#list.value = { staff: this.#team.filter((x) => x.id !== m.id) };
      this.confirming = undefined;
      this.requestUpdate();
    }
  }

  async #cancel(): Promise<void> {
    const id = this.confirming?.id;
    this.confirming = undefined;
    this.#remove.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-id="${id}"]`)?.focus();
  }

  async #submitKey(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    if (this.#key.status === 'pending') return;
    const form = e.target as HTMLFormElement;
    this.copied = undefined;
    const data = new FormData(form);
    const name = String(data.get('name')).trim();
    if (this.#show(name ? {} : { 'key-name': strings(this.locale).keyNameMissing }, ['key-name'])) return this.#key.reset();
    await this.#key.run({ name, ...this.#shopOf(data) });
    this.checkSession(this.#key);
    this.#show(this.#serverErrors(this.#key, { name: 'key-name' }), ['key-name']);
    const made = this.#key.status === 'complete' ? this.#key.value : undefined;
    if (made) {
      // The list gains it; its prefix is the key's first characters, as the server keeps them.
      const info: ApiKeyInfo = {
        id: made.id,
        name: made.name,
        prefix: made.key.slice(0, 7),
        locationId: made.locationId ?? null,
        createdAt: made.createdAt,
        lastUsedAt: null,
      };
      if (this.#keyList.value) this.#keyList.value = { keys: [...this.#keysNow.filter((k) => k.id !== made.id), info] };
      this.revoked = undefined;
      this.requestUpdate();
      form.reset();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#new-key')?.focus();
    }
  }

  async #askRevoke(k: ApiKeyInfo): Promise<void> {
    this.#revoke.reset();
    this.revoked = undefined;
    this.revoking = k;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('#confirm-revoke')?.focus();
  }

  async #confirmRevoke(): Promise<void> {
    const k = this.revoking;
    if (!k || this.#revoke.status === 'pending') return;
    await this.#revoke.run(k);
    this.checkSession(this.#revoke);
    // Revoked (204), or already gone (404): either way, no longer a key.
    if (this.#revoke.status === 'complete' || this.#revoke.error?.status === 404) {
      if (this.#keyList.value) this.#keyList.value = { keys: this.#keysNow.filter((x) => x.id !== k.id) };
      this.revoking = undefined;
      this.revoked = k;
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#revoked')?.focus();
    }
  }

  async #cancelRevoke(): Promise<void> {
    const id = this.revoking?.id;
    this.revoking = undefined;
    this.#revoke.reset();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(`[data-key="${id}"]`)?.focus();
  }

  async #copyKey(): Promise<void> {
    const key = this.#key.value?.key ?? '';
    try {
      await navigator.clipboard.writeText(key);
      this.copied = true;
    } catch {
      const range = document.createRange();
      range.selectNodeContents(this.renderRoot.querySelector('.key')!);
      getSelection()?.removeAllRanges();
      getSelection()?.addRange(range);
      this.copied = false;
    }
  }

  /** Forgets the key: it is not shown again. */
  #done(): void {
    this.#key.reset();
    this.copied = undefined;
  }

  /** A failed write: the server's refusal in words, else the shared failure. */
  #error(r: RequestState<unknown>, words: Partial<Record<number, string>>) {
    const p = r.error as MerchantProblem | undefined;
    const s = p?.status ?? 0;
    if (s === 403) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    const text = words[s];
    return text ? html`<p class="alert" role="alert">${text}</p>` : this.failure(r);
  }

  #member(m: StaffMember) {
    const s = strings(this.locale);
    const you = m.id === this.me?.user?.id;
    return html`<li>
      <span class="who">
        ${m.email} ${you ? s.you : nothing}
        <span class="role">${m.role === 'owner' ? s.owner : s.staff}${m.role === 'owner' ? '' : this.#shopLabel(m.locationId)}</span>
      </span>
      ${
        m.role === 'owner'
          ? nothing
          : html`<button
              class="btn ghost small"
              type="button"
              data-id=${m.id}
              aria-label=${s.removeWho(m.email)}
              aria-expanded=${this.confirming?.id === m.id}
              @click=${() => this.#ask(m)}
            >
              ${s.remove}
            </button>`
      }
    </li>`;
  }

  /** ` · <shop>` after a staff member's role, when there is a shop to name. */
  #shopLabel(locationId: string | null | undefined): string {
    const name = this.#shopName(locationId);
    return name ? ` · ${name}` : '';
  }

  /** The "Shop" select of a form, when the program has shops: "Every shop" (null), then each one. */
  #shopSelect(id: string) {
    const s = strings(this.locale);
    if (!this.#shops.length) return nothing;
    return field(
      id,
      s.shop,
      (w) =>
        html`<select id=${w.id} name="locationId" aria-describedby=${w.describedBy}>
          <option value="">${s.everyShop}</option>
          ${this.#shops.map((l) => html`<option value=${l.id}>${l.name}</option>`)}
        </select>`,
      { hint: s.shopHint },
    );
  }

  #keyItem(k: ApiKeyInfo) {
    const s = strings(this.locale);
    const shop = k.locationId ? this.#shopName(k.locationId) : undefined;
    return html`<li>
      <span class="who">
        <strong>${k.name}</strong> <span class="prefix">${k.prefix}…</span>${shop ? html` · ${shop}` : nothing}
        <span class="role"
          >${s.created(this.#date(k.createdAt))} · ${k.lastUsedAt ? s.lastUsed(this.#date(k.lastUsedAt)) : s.neverUsed}</span
        >
      </span>
      <button
        class="btn ghost small"
        type="button"
        data-key=${k.id}
        aria-label=${s.revokeWhich(k.name)}
        aria-expanded=${this.revoking?.id === k.id}
        @click=${() => this.#askRevoke(k)}
      >
        ${s.revoke}
      </button>
    </li>`;
  }

  #revocation() {
    const s = strings(this.locale);
    const k = this.revoking;
    if (!k)
      return this.revoked
        ? html`<p class="alert ok" id="revoked" tabindex="-1" role="status">${s.revoked(this.revoked.name)}</p>`
        : nothing;
    const busy = this.#revoke.status === 'pending';
    return html`<div class="alert stack" role="alertdialog" aria-labelledby="confirm-revoke" aria-modal="false">
      <p id="confirm-revoke" tabindex="-1">${s.confirmRevoke(k.name)}</p>
      ${this.#revoke.status === 'error' ? this.#error(this.#revoke, {}) : nothing}
      <div class="row">
        <button class="btn small" type="button" aria-disabled=${busy} @click=${this.#confirmRevoke}>
          ${busy ? s.revoking : s.confirmRevokeYes}
        </button>
        <button class="btn ghost small" type="button" @click=${this.#cancelRevoke}>${s.cancel}</button>
      </div>
    </div>`;
  }

  #keyListView() {
    const l = this.#keyList;
    const s = strings(this.locale);
    if (l.status === 'error') return this.#error(l, {});
    if (l.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    const keys = this.#keysNow;
    return html`<h3 id="keys-list-title">${s.keysList}</h3>
      ${
        keys.length
          ? html`<ul class="keys" aria-labelledby="keys-list-title">
              ${keys.map((k) => this.#keyItem(k))}
            </ul>`
          : html`<p class="hint keys-none">${s.noKeys}</p>`
      }
      ${this.#revocation()}`;
  }

  #confirmation() {
    const s = strings(this.locale);
    const m = this.confirming;
    if (!m) {
      const gone = this.#remove.status === 'complete' ? this.#remove.value : undefined;
      return gone ? html`<p class="alert ok" role="status">${s.removed(gone.email)}</p>` : nothing;
    }
    const busy = this.#remove.status === 'pending';
    return html`<div class="alert stack" role="alertdialog" aria-labelledby="confirm" aria-modal="false">
      <p id="confirm" tabindex="-1">${s.confirmRemove(m.email)}</p>
      ${this.#remove.status === 'error' ? this.#error(this.#remove, {}) : nothing}
      <div class="row">
        <button class="btn small" type="button" aria-disabled=${busy} @click=${this.#confirmRemove}>
          ${busy ? s.removing : s.confirm}
        </button>
        <button class="btn ghost small" type="button" @click=${this.#cancel}>${s.cancel}</button>
      </div>
    </div>`;
  }

  #teamView() {
    const l = this.#list;
    if (l.status === 'error') return this.#error(l, {});
    if (l.status !== 'complete') return html`<p class="state" role="status">${this.m.loading}</p>`;
    const s = strings(this.locale);
    return html`<ul class="team" aria-label=${s.team}>
        ${this.#team.map((m) => this.#member(m))}
      </ul>
      ${this.#confirmation()}`;
  }

  #addForm() {
    const s = strings(this.locale);
    const a = this.#add;
    const busy = a.status === 'pending';
    const errors = this.errors;
    // A 400 whose errors show under the fields needs no second word above the button.
    const told = a.status === 'error' && a.error?.status === 400 && Boolean(errors.email || errors.password);
    return html`<form class="stack" novalidate @submit=${this.#submitAdd} aria-labelledby="add-title">
      <h2 id="add-title">${s.addTitle}</h2>
      ${field(
        'email',
        s.email,
        (w) =>
          html`<input
            id=${w.id}
            name="email"
            type="email"
            autocomplete="off"
            required
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            @input=${() => this.#typed('email')}
          />`,
        { error: errors.email },
      )}
      ${field(
        'password',
        s.password,
        (w) =>
          html`<input
            id=${w.id}
            name="password"
            type="text"
            autocomplete="new-password"
            autocapitalize="off"
            spellcheck="false"
            required
            aria-describedby=${w.describedBy}
            aria-invalid=${w.invalid}
            @input=${() => this.#typed('password')}
          />`,
        { hint: s.passwordHint, error: errors.password },
      )}
      ${this.#shopSelect('staff-shop')} ${a.status === 'error' && !told ? this.#error(a, { 409: s.taken, 400: s.badFields }) : nothing}
      ${a.status === 'complete' && a.value ? html`<p class="alert ok" role="status">${s.added(a.value.email)}</p>` : nothing}
      <button class="btn" type="submit" aria-disabled=${busy}>${busy ? s.adding : s.add}</button>
    </form>`;
  }

  #keys() {
    const s = strings(this.locale);
    const k = this.#key;
    const busy = k.status === 'pending';
    const made = k.status === 'complete' ? k.value : undefined;
    return html`<section class="stack" aria-labelledby="keys-title">
      <h2 id="keys-title">${s.keysTitle}</h2>
      <p>${s.keysIntro}</p>
      ${this.#keyListView()}
      ${
        made
          ? html`<div class="stack" id="new-key" tabindex="-1" role="group" aria-labelledby="key-label">
              <p id="key-label"><strong>${s.newKey(made.name)}</strong></p>
              <code class="key">${made.key}</code>
              <p class="alert" role="alert">${s.once}</p>
              <div class="row">
                <button class="btn small" type="button" @click=${this.#copyKey}>${s.copy}</button>
                <button class="btn ghost small" type="button" @click=${this.#done}>${s.done}</button>
              </div>
              <p role="status">${this.copied === undefined ? nothing : this.copied ? s.copied : s.copyFailed}</p>
            </div>`
          : html`<form novalidate @submit=${this.#submitKey}>
              ${field(
                'key-name',
                s.keyName,
                (w) =>
                  html`<input
                    id=${w.id}
                    name="name"
                    autocomplete="off"
                    required
                    maxlength="100"
                    aria-describedby=${w.describedBy}
                    aria-invalid=${w.invalid}
                    @input=${() => this.#typed('key-name')}
                  />`,
                { hint: s.keyNameHint, error: this.errors['key-name'] },
              )}
              ${this.#shopSelect('key-shop')}
              ${k.status === 'error' && !(k.error?.status === 400 && this.errors['key-name']) ? this.#error(k, { 400: s.keyNameMissing }) : nothing}
              <button class="btn" type="submit" aria-disabled=${busy}>${busy ? s.creating : s.createKey}</button>
            </form>`
      }
    </section>`;
  }

  override render() {
    const s = strings(this.locale);
    if (!this.owner) return html`<p class="alert" role="alert">${this.m.ownerOnly}</p>`;
    return html`<div class="stack">
      <section class="stack" aria-labelledby="team-title">
        <h2 id="team-title">${s.team}</h2>
        <p>${s.teamIntro}</p>
        ${this.#teamView()}
      </section>
      ${this.#addForm()} ${this.#keys()}
    </div>`;
  }
}

define('fd-staff', FdStaff);

declare global {
  interface HTMLElementTagNameMap {
    'fd-staff': FdStaff;
  }
}
