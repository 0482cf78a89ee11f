/**
 * Resolves once every timer of `ms` or less that the page set before this call has run: HTML runs
 * a page's timers of equal or shorter delay in the order they were set. An element's debounce or
 * poll of `ms` started before the call has had its turn by then, so a test can say that what it
 * would have done (a request, at once when its timer fires) did not happen, with no margin guessed.
 */
export const afterTimersOf = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
