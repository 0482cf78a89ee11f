/**
 * Rate-limit windows are fixed and start on multiples of their length. A test that fills one
 * holds the services' clock (`Harness.setNow`) in the middle of the window it is in, so that its
 * hits never straddle two windows however slow the machine, and Retry-After is half the window.
 */
export function midWindow(windowSeconds: number, at = Date.now()): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(at / ms) * ms + ms / 2);
}
