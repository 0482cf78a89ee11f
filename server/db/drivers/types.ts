/**
 * Column types parsed the same way by every driver: int8 (counts, money in minor units)
 * as a JS number, timestamps as Date. Our int8 values stay far below 2^53.
 */
export const INT8_OID = 20;

export function parseInt8(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`int8 value ${value} is beyond 2^53`);
  return n;
}
