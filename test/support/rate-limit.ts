/**
 * Rate-limit windows are fixed and start on multiples of their length: a test that fills one
 * waits, if need be, for the next window so it never straddles two. A wait, not a timing.
 */
export async function awayFromWindowEdge(windowSeconds: number, marginSeconds = 20): Promise<void> {
  const ms = windowSeconds * 1000;
  const left = ms - (Date.now() % ms);
  if (left < marginSeconds * 1000) await new Promise((r) => setTimeout(r, left + 200));
}
