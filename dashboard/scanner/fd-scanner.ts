import { css, html, nothing, type PropertyDeclarations } from 'lit';
import { define } from '../../common/define.ts';
import { localize } from '../../common/localize.ts';
import { DashboardElement } from '../base.ts';
import { type Decoder, qrDecoder } from './decode.ts';

const strings = localize({
  title: ['Scan a card', 'Scanner une carte'],
  camera: ['Camera', 'Caméra'],
  aim: ["Point the camera at the card's QR code.", 'Visez le QR code de la carte avec la caméra.'],
  starting: ['Starting the camera…', 'Démarrage de la caméra…'],
  close: ['Close the camera', 'Fermer la caméra'],
  notACard: ['This QR code is not a loyalty card.', 'Ce QR code n’est pas une carte de fidélité.'],
  denied: [
    'The camera is not allowed for this page. Allow it in the browser settings, or type the card number.',
    'L’accès à la caméra est refusé pour cette page. Autorisez-le dans les réglages du navigateur, ou saisissez le numéro de la carte.',
  ],
  noCamera: ['No camera found on this device: type the card number.', 'Aucune caméra sur cet appareil : saisissez le numéro de la carte.'],
  insecure: [
    'The camera needs a secure (https) address: type the card number.',
    'La caméra nécessite une adresse sécurisée (https) : saisissez le numéro de la carte.',
  ],
  busy: [
    'The camera could not start (is another app using it?). Try again, or type the card number.',
    'La caméra n’a pas pu démarrer (une autre application l’utilise ?). Réessayez, ou saisissez le numéro de la carte.',
  ],
  retry: ['Try again', 'Réessayer'],
});

type Fault = 'denied' | 'noCamera' | 'insecure' | 'busy';

/** Frames read per second at most: enough to feel instant, light on a phone's battery. */
const FPS = 8;

/** The back camera, where there is one. */
const backCamera = (): Promise<MediaStream> => navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });

/**
 * The camera view of the counter: reads QR codes from the video (the browser's
 * `BarcodeDetector`, else jsQR; see `decode.ts`) about 8 times a second until one is accepted,
 * then stops the camera and says what it read. The camera also stops when closed and when the
 * element leaves the page. Refused, missing or unavailable on an http page: a message, and the
 * counter's serial field is still there.
 *
 * @event fd-scan - a code was read and accepted; its detail is what `accept` made of it.
 * @event fd-scan-close - the person closed the camera.
 */
export class FdScanner extends DashboardElement {
  static override styles = [
    DashboardElement.styles,
    css`
      .view {
        position: relative;
        overflow: hidden;
        border-radius: var(--r);
        background: #000;
        aspect-ratio: 1;
      }
      video {
        display: block;
        width: 100%;
        height: 100%;
        object-fit: cover;
      }
      /* The aiming square. */
      .view::after {
        content: '';
        position: absolute;
        inset: 15%;
        border: 3px solid rgb(255 255 255 / 0.85);
        border-radius: 8px;
        box-shadow: 0 0 0 100vmax rgb(0 0 0 / 0.25);
        pointer-events: none;
      }
    `,
  ];

  static override properties: PropertyDeclarations = {
    ...DashboardElement.properties,
    fault: { state: true },
    started: { state: true },
    rejected: { state: true },
  };

  #stream?: MediaStream;
  #decoder?: Decoder;
  #timer?: ReturnType<typeof setTimeout>;
  /** Bumped by each start and stop: a camera that answers after a stop is stopped at once. */
  #run = 0;

  /** Where the video comes from (a test gives a canvas stream); none: the back camera. */
  source?: () => Promise<MediaStream>;
  /** What a read code means: the value to emit, or null to ignore it and keep scanning. */
  accept: (text: string) => string | null = (text) => text || null;
  /** Why the camera is not showing, if it is not. */
  protected fault?: Fault;
  /** The video is playing. */
  protected started = false;
  /** The last code read was not accepted. */
  protected rejected = false;

  /** The camera's stream while it runs (tests check that its tracks end). */
  get stream(): MediaStream | undefined {
    return this.#stream;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  /** Opens the camera and reads frames until a code is accepted. */
  async start(): Promise<void> {
    this.stop();
    const run = this.#run;
    this.fault = undefined;
    this.rejected = false;
    // Browsers offer the camera on https and localhost only.
    const source = this.source ?? backCamera;
    if (source === backCamera && !(isSecureContext && navigator.mediaDevices?.getUserMedia)) {
      this.fault = isSecureContext ? 'noCamera' : 'insecure';
      return;
    }
    let stream: MediaStream;
    try {
      [stream, this.#decoder] = await Promise.all([source(), this.#decoder ?? qrDecoder()]);
    } catch (e) {
      if (run !== this.#run) return;
      const name = (e as { name?: string }).name;
      this.fault =
        name === 'NotAllowedError' || name === 'SecurityError'
          ? 'denied'
          : name === 'NotFoundError' || name === 'OverconstrainedError'
            ? 'noCamera'
            : 'busy';
      return;
    }
    if (run !== this.#run || !this.isConnected) {
      stopTracks(stream);
      return;
    }
    this.#stream = stream;
    await this.updateComplete;
    const video = this.renderRoot.querySelector('video')!;
    video.srcObject = stream;
    try {
      await video.play();
    } catch {
      // Autoplay of a muted inline video is allowed; a stop during play() also lands here.
    }
    if (run !== this.#run) return;
    this.started = true;
    this.#tick(run, video);
  }

  /** Stops the camera: its tracks end, the light goes off. */
  stop(): void {
    this.#run++;
    clearTimeout(this.#timer);
    if (this.#stream) stopTracks(this.#stream);
    this.#stream = undefined;
    const video = this.renderRoot?.querySelector('video');
    if (video) video.srcObject = null;
    this.started = false;
  }

  /** Reads one frame, then waits for the next (one at a time: a slow phone skips frames rather than piling them up). */
  #tick(run: number, video: HTMLVideoElement): void {
    this.#timer = setTimeout(async () => {
      let text: string | null = null;
      try {
        text = await this.#decoder!(video);
      } catch {
        // A frame that cannot be read (the video is not ready yet): the next one may.
      }
      if (run !== this.#run) return;
      const value = text === null ? null : this.accept(text);
      if (value !== null) {
        this.stop();
        this.emit('fd-scan', value);
        return;
      }
      if (text !== null) this.rejected = true;
      this.#tick(run, video);
    }, 1000 / FPS);
  }

  #close(): void {
    this.stop();
    this.emit('fd-scan-close', undefined);
  }

  override render() {
    const s = strings(this.locale);
    const p = this.fault;
    return html`<section class="stack" aria-labelledby="scan-title">
      <h2 id="scan-title">${s.title}</h2>
      ${
        p
          ? html`<div class="alert stack" role="alert">
              <p>${s[p]}</p>
              ${
                p === 'busy' || p === 'denied'
                  ? html`<button class="btn ghost small" type="button" @click=${() => this.start()}>${s.retry}</button>`
                  : nothing
              }
            </div>`
          : html`<div class="view"><video muted playsinline autoplay aria-label=${s.camera}></video></div>
              <p class="state" role="status">${this.rejected ? s.notACard : this.started ? s.aim : s.starting}</p>`
      }
      <button class="btn ghost" type="button" @click=${this.#close}>${s.close}</button>
    </section>`;
  }
}

function stopTracks(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

define('fd-scanner', FdScanner);

declare global {
  interface HTMLElementTagNameMap {
    'fd-scanner': FdScanner;
  }
  interface GlobalEventHandlersEventMap {
    'fd-scan': CustomEvent<string>;
    'fd-scan-close': CustomEvent<undefined>;
  }
}
