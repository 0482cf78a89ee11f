// The counter's camera view. Headless Chromium on Linux has no BarcodeDetector, so these run
// the jsQR path on real pixels: a card's QR code, drawn by the fidelio server, shown on a canvas
// whose `captureStream()` stands in for the camera.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../../dashboard/scanner/fd-scanner.ts';
import type { FdScanner } from '../../../dashboard/scanner/fd-scanner.ts';
import { $, $$, text } from '../support/dom.ts';
import { pictureStream, realCardQr } from '../support/qr-stream.ts';

/** A camera starting on a busy machine. */
const BUSY = { timeout: 5_000 };

const ended = (stream: MediaStream) => stream.getTracks().length > 0 && stream.getTracks().every((t) => t.readyState === 'ended');
/** Mocha's `this` in a test or hook (see support/globals.d.ts). */
type Slow = { timeout(ms: number): void };
const refused = (name: string) => () => Promise.reject(new DOMException('refused', name));

describe('<fd-scanner>', () => {
  let qr: { serial: string; svg: string };
  let picture: { stream: MediaStream; stop: () => void } | undefined;
  before(async function (this: Slow) {
    this.timeout(20_000);
    qr = await realCardQr();
  });
  afterEach(() => picture?.stop());

  it('reads the QR code of a real card from the video, says its serial, and stops the camera', async function (this: Slow) {
    this.timeout(20_000);
    expect('BarcodeDetector' in window, 'this browser has no native detector: the JS decoder is under test').to.equal(false);
    picture = await pictureStream(qr.svg);
    const { stream } = picture;
    const el = await fixture<FdScanner>(html`<fd-scanner lang="en" .source=${() => Promise.resolve(stream)}></fd-scanner>`);
    const scan = await oneEvent(el, 'fd-scan');
    expect(qr.serial).to.match(/^[a-z2-7]{26}$/);
    expect(scan.detail).to.equal(qr.serial);
    expect(ended(stream), 'the camera is off').to.equal(true);
    expect(el.stream).to.equal(undefined);
  });

  it('is accessible while the camera runs, and says what to do', async function (this: Slow) {
    this.timeout(10_000);
    picture = await pictureStream(qr.svg);
    const { stream } = picture;
    // Reads nothing: the camera keeps running.
    const el = await fixture<FdScanner>(
      html`<fd-scanner lang="en" .source=${() => Promise.resolve(stream)} .accept=${() => null}></fd-scanner>`,
    );
    await waitUntil(() => text(el).includes('Point the camera'), 'the camera is running', BUSY);
    expect($(el, 'video')!.getAttribute('aria-label')).to.equal('Camera');
    await expect(el).to.be.accessible();
    el.remove();
  });

  it('keeps scanning past a code it does not accept', async function (this: Slow) {
    this.timeout(20_000);
    picture = await pictureStream(qr.svg);
    const { stream } = picture;
    const seen: string[] = [];
    // The first read is refused (as a QR code that is not a card would be), the next accepted.
    const accept = (t: string) => (seen.push(t) === 1 ? null : t.toUpperCase());
    const el = await fixture<FdScanner>(
      html`<fd-scanner lang="en" .source=${() => Promise.resolve(stream)} .accept=${accept}></fd-scanner>`,
    );
    const scan = await oneEvent(el, 'fd-scan');
    expect(seen).to.deep.equal([qr.serial, qr.serial]);
    expect(scan.detail).to.equal(qr.serial.toUpperCase());
  });

  it('stops the camera when closed, and when it leaves the page', async function (this: Slow) {
    this.timeout(10_000);
    picture = await pictureStream(qr.svg);
    const first = picture.stream;
    const el = await fixture<FdScanner>(
      html`<fd-scanner lang="en" .source=${() => Promise.resolve(first)} .accept=${() => null}></fd-scanner>`,
    );
    await waitUntil(() => el.stream, 'the camera is on', BUSY);
    const close = $$<HTMLButtonElement>(el, 'button').find((b) => b.textContent!.trim() === 'Close the camera')!;
    setTimeout(() => close.click());
    await oneEvent(el, 'fd-scan-close');
    expect(ended(first), 'closed: the camera is off').to.equal(true);

    const second = (await pictureStream(qr.svg)).stream;
    const other = await fixture<FdScanner>(
      html`<fd-scanner lang="en" .source=${() => Promise.resolve(second)} .accept=${() => null}></fd-scanner>`,
    );
    await waitUntil(() => other.stream, 'the camera is on', BUSY);
    other.remove();
    expect(ended(second), 'removed: the camera is off').to.equal(true);
  });

  it('stops a camera that answers after the scanner was closed', async () => {
    picture = await pictureStream(qr.svg);
    const { stream } = picture;
    let give!: (s: MediaStream) => void;
    const el = await fixture<FdScanner>(
      html`<fd-scanner lang="en" .source=${() => new Promise<MediaStream>((r) => (give = r))}></fd-scanner>`,
    );
    el.remove();
    give(stream);
    await waitUntil(() => ended(stream), 'the late camera is stopped');
  });

  it('says the camera was refused, is accessible, and offers to try again', async () => {
    const el = await fixture<FdScanner>(html`<fd-scanner lang="en" .source=${refused('NotAllowedError')}></fd-scanner>`);
    await waitUntil(() => $(el, '[role=alert]'), 'the refusal is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('The camera is not allowed for this page').and.contain('type the card number');
    expect($(el, 'video')).to.equal(null);
    await expect(el).to.be.accessible();
    expect($$(el, 'button').map((b) => b.textContent!.trim())).to.deep.equal(['Try again', 'Close the camera']);
  });

  it('says when there is no camera, in French too', async () => {
    const el = await fixture<FdScanner>(html`<fd-scanner lang="fr" .source=${refused('NotFoundError')}></fd-scanner>`);
    await waitUntil(() => $(el, '[role=alert]'), 'the message is shown');
    expect($(el, '[role=alert]')!.textContent).to.contain('Aucune caméra sur cet appareil');
  });
});
