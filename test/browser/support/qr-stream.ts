/**
 * A real card and its real QR code, from the fidelio server the test runner starts (the demo
 * program `cafe-lune`): the server draws the QR with the `qrcode` package, as on the widget.
 * The package is CommonJS, which the test runner does not load in the page, hence the server.
 */
export async function realCardQr(): Promise<{ serial: string; svg: string }> {
  const api = window.FIDELIO_API;
  const email = `scan-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const res = await fetch(`${api}/api/public/programs/cafe-lune/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Sam Scanner', email, consent: { terms: true } }),
  });
  if (!res.ok) throw new Error(`signup: ${res.status} ${await res.text()}`);
  const { card, links } = await res.json();
  const svg = await (await fetch(links.qr)).text();
  return { serial: card.serial, svg };
}

/**
 * A video stream showing an SVG picture (a QR code) on white, like a phone held up to a camera:
 * `canvas.captureStream()`, repainted a few times a second so the stream keeps sending frames.
 */
export async function pictureStream(svg: string): Promise<{ stream: MediaStream; stop: () => void }> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  const img = new Image();
  img.src = url;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = 480;
  canvas.height = 360;
  const ctx = canvas.getContext('2d')!;
  const paint = () => {
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 120, 60, 240, 240);
  };
  paint();
  const timer = setInterval(paint, 100);
  const stream = canvas.captureStream(10);
  return {
    stream,
    stop: () => {
      clearInterval(timer);
      URL.revokeObjectURL(url);
    },
  };
}
