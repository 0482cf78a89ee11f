// Conditional requests for a pass (ETag / Last-Modified): a phone that has the current pass
// gets a 304 before anything is signed.

/**
 * `Last-Modified` for a pass changed at `updatedAt`. HTTP dates have whole seconds, so a
 * second in which the card may still change (or whose change may still be committing) is
 * not given out: until it is two seconds old, the answer names the second before, and the
 * next `If-Modified-Since` gets the pass again instead of a 304 that would hide a change.
 */
export function passLastModified(updatedAt: Date, now = Date.now()): Date {
  const second = Math.floor(updatedAt.getTime() / 1000) * 1000;
  return new Date(now - second >= 2000 ? second : second - 1000);
}

/** Whether `If-Modified-Since` shows the client has the pass as it is now. */
export function passUnchangedSince(updatedAt: Date, ifModifiedSince: string | undefined): boolean {
  if (!ifModifiedSince) return false;
  const since = Date.parse(ifModifiedSince);
  return Number.isFinite(since) && since >= Math.floor(updatedAt.getTime() / 1000) * 1000;
}
