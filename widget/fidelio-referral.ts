import { css, html, nothing, type PropertyValues, type PropertyDeclarations } from 'lit';
import type { Referral } from '../common/api.ts';
import { Request } from '../common/request.ts';
import { call } from './api.ts';
import { FidelioElement } from './base.ts';

/**
 * A member's invitation link, under what the friend and the member earn (the server's sentence,
 * in the element's language), with a copy button, the browser's share sheet where there is one,
 * and how many friends were invited, joined and rewarded.
 *
 * @csspart base - the element's box
 * @csspart error - an error message
 * @cssproperty --fidelio-primary - the buttons' colour
 * @cssproperty --fidelio-radius - corner radius
 * @cssproperty --fidelio-font - font family
 */
export class FidelioReferral extends FidelioElement {
  static override get styles() {
    return [
      FidelioElement.styles,
      css`
        .row {
          display: flex;
          flex-wrap: wrap;
          gap: 0.5em;
        }
        dl {
          display: grid;
          grid-template-columns: repeat(3, 1fr);
          gap: 0.5em;
          text-align: center;
        }
        dl div {
          padding: 0.5em 0.25em;
          border: 1px solid #d0d7de;
          border-radius: var(--s);
        }
        dt {
          color: #57606a;
          font-size: 0.875em;
        }
        dd {
          font-size: 1.5em;
          font-weight: 700;
        }
      `,
    ];
  }

  static override get properties(): PropertyDeclarations {
    return {
      copied: { state: true },
      serial: {},
    };
  }

  #load = new Request(this, (signal, serial: string) => call<Referral>(this.url('cards', serial, `/referral?lang=${this.locale}`), signal));

  get #input() {
    return this.renderRoot.querySelector<HTMLInputElement>('#link');
  }

  private copied = false;

  /** The member's card serial. */
  serial = '';

  override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('serial') || changed.has('api')) && this.serial) void this.#load.run(this.serial);
  }

  #onCopy = async (): Promise<void> => {
    const url = this.#load.value?.url ?? '';
    try {
      await navigator.clipboard.writeText(url);
      this.copied = true;
    } catch {
      // No clipboard here (an http page, an old browser): select the link for a manual copy.
      this.#input?.select();
    }
  };

  #onShare = (): void => {
    navigator.share({ text: this.m.shareText, url: this.#load.value?.url }).catch(() => {
      // The visitor closed the share sheet.
    });
  };

  #view(r: Referral) {
    const m = this.m;
    return html`${r.offer ? html`<p>${r.offer}</p>` : nothing}
      <div class="field">
        <label for="link">${m.yourLink}</label>
        <input id="link" readonly .value=${r.url} @focus=${() => this.#input?.select()} />
      </div>
      <div class="row">
        <button class="btn" @click=${this.#onCopy}>${m.copy}</button>
        ${'share' in navigator ? html`<button class="btn ghost" @click=${this.#onShare}>${m.share}</button>` : nothing}
      </div>
      <p class="muted" role="status">${this.copied ? m.copied : ''}</p>
      <dl>
        <div>
          <dt>${m.invited}</dt>
          <dd>${r.invited}</dd>
        </div>
        <div>
          <dt>${m.joined}</dt>
          <dd>${r.joined}</dd>
        </div>
        <div>
          <dt>${m.rewarded}</dt>
          <dd>${r.rewarded}</dd>
        </div>
      </dl>`;
  }

  override render() {
    return html`<div part="base" class="base stack">
      <h2>${this.m.inviteTitle}</h2>
      ${this.states(this.#load, (r) => this.#view(r))}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'fidelio-referral': FidelioReferral;
  }
}
