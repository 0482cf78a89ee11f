// Mocha's globals, as web-test-runner provides them in the browser (no @types/mocha needed).
declare function describe(name: string, fn: () => void): void;
declare function it(name: string, fn: () => void | Promise<void>): void;
declare function before(fn: () => void | Promise<void>): void;
declare function after(fn: () => void | Promise<void>): void;
declare function beforeEach(fn: () => unknown): void;
declare function afterEach(fn: () => unknown): void;

interface Window {
  /** The real fidelio server web-test-runner started (with the demo program `cafe-lune`). */
  FIDELIO_API: string;
}
