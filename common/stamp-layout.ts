// Where the stamps go on a pass's strip: `passes/images.ts` draws the real strip with it, and the
// dashboard's pass preview draws the same grid. Points, on the 375×144 canvas Wallet shows; the
// strip's other zones (the safe band, the calm zone under the primary field) are in images.ts.

/** The strip's canvas in points; the PNG at scale s is s times as many pixels. */
export const STRIP_PT = { width: 375, height: 144 } as const;
/** The area the stamp grid (and the progress bar) may use: below the primary field, inside the safe band. */
export const GRID_AREA = { left: 14, right: 361, top: 68, bottom: 130 } as const;
export const MAX_STAMPS = 50;

const MAX_RADIUS = 15;
const RADIUS_PER_PITCH = 0.42;
/** Another row is worth it when it makes the circles this much larger (so 12 stamps stay in one wide row)... */
const MORE_ROWS_GAIN = 1.15;
/** ...or makes them larger at all while they are smaller than this (pt). */
const SMALL_RADIUS = 10;

export interface StampLayout {
  rows: number;
  /** Slots in the widest row. */
  columns: number;
  /** Circle radius, points. */
  radius: number;
  /** Distance between neighbouring centres, points. */
  pitch: number;
  /** Slot centres in fill order (row by row, left to right); the last one is the reward slot. */
  centres: { x: number; y: number }[];
}

/** `required` is a number of stamps a strip can show: an integer from 1 to `MAX_STAMPS`. */
export const drawableStamps = (required: number): boolean => Number.isInteger(required) && required >= 1 && required <= MAX_STAMPS;

/**
 * Where the stamp circles go on the 375×144-pt strip: 1–3 rows inside GRID_AREA (below the primary field,
 * inside the safe band), rows as even as possible (longer rows first), each row centred horizontally. A further
 * row is used when it makes the circles at least 15% larger, or any larger while they are under 10 pt; circles are
 * at most 15 pt in radius (the smallest, for 50 stamps, are 8.6 pt). Throws unless `drawableStamps(required)`.
 */
export function stampLayout(required: number): StampLayout {
  if (!drawableStamps(required)) {
    throw new Error(`Invalid required: expected an integer from 1 to ${MAX_STAMPS}, got ${required}`);
  }
  const width = GRID_AREA.right - GRID_AREA.left;
  const height = GRID_AREA.bottom - GRID_AREA.top;
  let best = { rows: 1, columns: required, pitch: 0 };
  for (let rows = 1; rows <= Math.min(3, required); rows++) {
    const columns = Math.ceil(required / rows);
    const pitch = Math.min(width / columns, height / rows, MAX_RADIUS / RADIUS_PER_PITCH);
    const gain = pitch / best.pitch;
    if (gain >= MORE_ROWS_GAIN || (gain > 1 && best.pitch * RADIUS_PER_PITCH < SMALL_RADIUS)) best = { rows, columns, pitch };
  }
  const { rows, columns, pitch } = best;
  const centreX = (GRID_AREA.left + GRID_AREA.right) / 2;
  const centreY = (GRID_AREA.top + GRID_AREA.bottom) / 2;
  const centres: { x: number; y: number }[] = [];
  for (let row = 0, placed = 0; row < rows; row++) {
    const inRow = Math.ceil((required - placed) / (rows - row));
    const y = centreY + (row - (rows - 1) / 2) * pitch;
    for (let i = 0; i < inRow; i++) centres.push({ x: centreX + (i - (inRow - 1) / 2) * pitch, y });
    placed += inRow;
  }
  return { rows, columns, radius: pitch * RADIUS_PER_PITCH, pitch, centres };
}
