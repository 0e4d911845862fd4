/** R6: a pause without cover may last at most 15 minutes. */
export const ABSENCE_LIMIT_MS = 15 * 60_000;
