import { z } from 'zod';

/**
 * R35: what a rating may be about: discipline, appearance, manner, attitude, language, efficiency,
 * competence, keeping the service rules. The applicant ticks any (the apps name them).
 */
export const RATING_ASPECTS = [
  'discipline',
  'appearance',
  'manner',
  'attitude',
  'language',
  'efficiency',
  'competence',
  'rules',
] as const;
export const RatingAspect = z.enum(RATING_ASPECTS);
export type RatingAspect = z.infer<typeof RatingAspect>;

/** R34: the five levels, best first, as the standard names them (the apps translate the keys). */
export const RATING_LEVELS = [5, 4, 3, 2, 1] as const;
export type RatingLevel = (typeof RATING_LEVELS)[number];
/** A bad review (不满意, 非常不满意) is followed up (R36). */
export const isBadReview = (level: number) => level <= 2;

/** The day's ratings: how many of each level, not given (the window closed), and still open. */
export type RatingSummary = {
  levels: Record<RatingLevel, number>;
  notGiven: number;
  open: number;
  /** Share of the rated that were satisfied (满意 or better); null before the first rating. */
  satisfied: number | null;
};

/** R34: the ratings of `tickets` (a rating not given never counts as satisfied). */
export function ratingSummary(
  tickets: Iterable<{ status: string; rating: { level: number } | null; ratingNotGiven: boolean }>,
): RatingSummary {
  const levels: Record<RatingLevel, number> = { 5: 0, 4: 0, 3: 0, 2: 0, 1: 0 };
  let notGiven = 0;
  let open = 0;
  for (const t of tickets) {
    if (t.status !== 'completed') continue;
    if (t.rating) levels[t.rating.level as RatingLevel]++;
    else if (t.ratingNotGiven) notGiven++;
    else open++;
  }
  const rated = RATING_LEVELS.reduce((n, l) => n + levels[l], 0);
  return { levels, notGiven, open, satisfied: rated === 0 ? null : (levels[5] + levels[4]) / rated };
}

/**
 * R21, R34: where a counter without an evaluation pad invites the applicant to rate: its panel's
 * second screen (the display app's `/evaluate/{counterId}` page, on the same origin), told over a
 * BroadcastChannel of this name when the clerk completes a ticket.
 */
export const evaluationChannel = (counterId: string) => `yichuang:evaluate:${counterId}`;
export const EvaluationInvite = z
  .object({
    ticketId: z.string().min(1).max(64),
    number: z.string().max(10),
    servedBy: z.object({ name: z.string().max(40), badge: z.string().max(20) }).nullable(),
  })
  .strict();
export type EvaluationInvite = z.infer<typeof EvaluationInvite>;
