import { z } from 'zod';

/** The protocol's version: clients send it on connect; a different major version is refused. */
export const PROTOCOL_VERSION = '1.0.0';

/** An identifier of a hall, service, counter, staff member, device or ticket. */
export const Id = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, "-" and "_" only');
export type Id = z.infer<typeof Id>;

/**
 * A client's own id for one action (a kiosk's press, a keypad's key): a retry carries the same key
 * and the hall acts once, answering the retry with what the first attempt did.
 */
export const IdempotencyKey = z
  .string()
  .min(8)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits, ".", ":", "-" and "_" only');

/** Milliseconds since the Unix epoch. */
export const Timestamp = z.number().int().nonnegative();

/** Every error code the hub answers with. A client can switch over these. */
export const ErrorCode = z.enum([
  'invalid-payload',
  'unauthenticated',
  'not-allowed',
  'not-found',
  'unknown-hall',
  'unknown-service',
  'unknown-counter',
  'unknown-ticket',
  'unknown-staff',
  'counter-closed',
  'counter-not-closed',
  'counter-paused',
  'counter-not-paused',
  'counter-busy',
  'counter-does-not-serve',
  'staff-already-signed-in',
  'no-current-ticket',
  'already-serving',
  'invalid-target',
  'target-closed',
  'ticket-not-waiting',
  'ticket-finished',
  'queue-empty',
  'numbers-exhausted',
  'issuing-paused',
  'ticket-not-completed',
  'already-rated',
  'number-not-reserved',
  'unknown-alert',
  'alert-resolved',
  'already-acknowledged',
  'wrong-password',
  'emergency',
  'hall-closed',
  'unknown-carry-over',
  'carry-over-used',
  'carry-over-not-valid',
  'no-emergency',
  'no-change',
  'identification-required',
  'already-holding',
  'no-applicant-data',
  'rating-closed',
  'numbers-held',
  'unknown-case',
  'case-closed',
  'case-step-not-allowed',
  'case-not-called-back',
  'not-in-catalogue',
  'rate-limited',
  'unavailable',
  'internal-error',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** The error half of a Result: a code to switch over and a message for a person. */
export const ErrorBody = z.object({ code: ErrorCode, message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** The answer to every command: through the socket.io ack and as the REST body. */
export type Result<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };

/** Schema of a Result carrying `data`. */
export const resultSchema = <T extends z.ZodType>(data: T) =>
  z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ErrorBody }),
  ]);

/** Builds a successful Result. */
export const ok = <T>(data: T): Result<T> => ({ ok: true, data });

/** Builds a failed Result. */
export const fail = (code: ErrorCode, message: string): { ok: false; error: ErrorBody } => ({
  ok: false,
  error: { code, message },
});

/** Turns a zod failure into one readable sentence naming the fields at fault. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}

/**
 * A mutable copy of a map. `new Map(map)` walks the map's iterator and makes an entry pair per
 * key; a small map copied on every event of the hall (its counters, its estimates) made those
 * pairs a fifth of what the engine allocated.
 */
export function copyOf<K, V>(map: ReadonlyMap<K, V>): Map<K, V> {
  const copy = new Map<K, V>();
  map.forEach((v, k) => copy.set(k, v));
  return copy;
}
