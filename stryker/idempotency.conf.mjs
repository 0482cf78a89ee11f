// Idempotency-Key claims and replays (server/services/idempotency.ts): the API tests that send
// keys, ~25 s a mutant.
import { target } from './target.mjs';

export default target('idempotency', 'server/services/idempotency.ts', [
  'test/api/concurrency.test.ts',
  'test/api/adjustments.test.ts',
  'test/api/redemption-undo.test.ts',
]);
