/**
 * A stand-in for the page's `fetch` in element tests: every call is recorded, and `answer`
 * decides the response (a `Response`, or a promise of one: `never` for a server that does not
 * answer). Abort signals are honoured like the real fetch.
 */
export interface Call {
  url: URL;
  method: string;
  body: unknown;
  headers: Headers;
  signal?: AbortSignal | null;
}

export type Answer = (call: Call) => Response | Promise<Response>;

export function stubFetch(answer: Answer): { calls: Call[]; restore: () => void } {
  const original = window.fetch;
  const calls: Call[] = [];
  window.fetch = (input: RequestInfo | URL, init: RequestInit = {}) => {
    const call = {
      // Relative URLs (the dashboard calls its own origin) resolve against the page.
      url: new URL(String(input), location.href),
      method: init.method ?? 'GET',
      // JSON bodies parsed; a file (Blob) as it was sent.
      body: typeof init.body === 'string' ? JSON.parse(init.body) : (init.body ?? undefined),
      headers: new Headers(init.headers),
      signal: init.signal,
    };
    calls.push(call);
    const signal = init.signal;
    return new Promise<Response>((resolve, reject) => {
      const abort = () => reject(new DOMException('The operation was aborted.', 'AbortError'));
      if (signal?.aborted) return abort();
      signal?.addEventListener('abort', abort);
      Promise.resolve(answer(call)).then(resolve, reject);
    });
  };
  return { calls, restore: () => (window.fetch = original) };
}

export const json = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': status < 400 ? 'application/json' : 'application/problem+json' },
  });

export const problem = (status: number, code: string, errors: { path: string; message: string }[] = []): Response =>
  json({ type: 'about:blank', title: code, status, detail: code, code, ...(errors.length ? { errors } : {}) }, status);

/** A server that never answers. */
export const never = (): Promise<Response> => new Promise(() => {});

/** Fixtures shaped like the API's answers. */
export const API = 'http://api.test';

export const program = {
  merchant: {
    name: 'Café Lune',
    slug: 'cafe-lune',
    logoUrl: null,
    colors: { background: '#3b2f2f', foreground: '#ffffff', label: '#f3d9b1', text: '#ffffff' },
    locale: 'fr',
  },
  program: {
    type: 'stamps',
    name: 'Carte Café Lune',
    currency: 'EUR',
    signupBonus: 1,
    stampsRequired: 10,
    reward: { name: 'Un café offert' },
  },
  features: { reviews: true, referrals: true, surveys: true },
  googleReviewUrl: 'https://g.page/r/cafe-lune/review',
};

export function cardAnswer(card: Record<string, unknown> = {}, wallets = { apple: true, google: true }) {
  const serial = (card.serial as string) ?? 'c_test123';
  return {
    card: {
      serial,
      programType: 'stamps',
      stamps: 3,
      stampsRequired: 10,
      rewardsAvailable: 0,
      points: null,
      tier: null,
      cashbackBalance: null,
      customerName: 'Camille Martin',
      updatedAt: '2026-01-01T00:00:00.000Z',
      ...card,
    },
    wallets,
    links: {
      card: `${API}/api/public/cards/${serial}`,
      page: `${API}/c/${serial}`,
      applePass: `${API}/passes/apple/${serial}.pkpass`,
      googleSave: `${API}/passes/google/${serial}`,
      qr: `data:image/svg+xml,${encodeURIComponent('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>')}`,
    },
  };
}
