import { z } from 'zod';
import isIdentityCard from 'validator/lib/isIdentityCard.js';

/**
 * #12, R9: an applicant's personal data. A ticket may carry a name and a mobile number (so that staff
 * can address and call back the applicant) and, where a service requires identification, the ID
 * number: the hub keeps only a keyed hash of that (HMAC-SHA-256 with the installation's privacy key),
 * enough for the one-live-ticket rule and nothing else. None of it is ever sent to a public screen,
 * a window display, a speaker or a slip; staff see it masked (`maskApplicant`) unless one of them
 * reveals it with a reason, which the hall records (`ticket:reveal-applicant`).
 */

/** A mainland resident ID number (GB 11643: 17 digits and a check character, validated). */
export const ResidentIdNumber = z
  .string()
  .trim()
  .regex(/^\d{17}[\dXx]$/, 'an 18-character resident ID number')
  .transform((s) => s.toUpperCase())
  .refine((s) => isIdentityCard(s, 'zh-CN') && s.length === 18, 'an 18-character resident ID number');

/** A mainland mobile number: 11 digits starting 13–19. */
export const MobileNumber = z
  .string()
  .trim()
  .regex(/^1[3-9]\d{9}$/, 'an 11-digit mobile number');

/** What an applicant (or staff for them) gives when taking a ticket. */
export const ApplicantInput = z
  .object({
    name: z.string().trim().min(1).max(40).optional(),
    phone: MobileNumber.optional(),
    /** Typed, or filled in by the kiosk's card reader; the hub replaces it by its keyed hash at once. */
    idNumber: ResidentIdNumber.optional(),
  })
  .strict();
export type ApplicantInput = z.output<typeof ApplicantInput>;

/** A keyed hash of an ID number (hex HMAC-SHA-256). */
export const IdHash = z.string().regex(/^[0-9a-f]{64}$/);

/** What the hall keeps of an applicant: the ID number only as its keyed hash. */
export const ApplicantOnFile = z
  .object({ name: z.string().optional(), phone: z.string().optional(), idHash: IdHash.optional() })
  .strict();
export type ApplicantOnFile = z.infer<typeof ApplicantOnFile>;

/** What staff see of an applicant on a ticket: masked, and whether the ID was given. */
export const MaskedApplicant = z.object({
  name: z.string().nullable(),
  phone: z.string().nullable(),
  identified: z.boolean(),
});
export type MaskedApplicant = z.infer<typeof MaskedApplicant>;

/** What a reveal answers: the name and number in full (never the ID number: the hall does not have it). */
export const RevealedApplicant = z.object({ name: z.string().nullable(), phone: z.string().nullable() });
export type RevealedApplicant = z.infer<typeof RevealedApplicant>;

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜, Li Ming → L*****g: first and last character only. */
export function maskName(name: string): string {
  const chars = [...name];
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0]}*`;
  return `${chars[0]}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1]}`;
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length < 8 ? '*'.repeat(phone.length) : `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** A ticket's applicant as staff see it (null: none was given). */
export function maskApplicant(a: ApplicantOnFile | undefined): MaskedApplicant | null {
  if (!a || (a.name === undefined && a.phone === undefined && a.idHash === undefined)) return null;
  return {
    name: a.name === undefined ? null : maskName(a.name),
    phone: a.phone === undefined ? null : maskPhone(a.phone),
    identified: a.idHash !== undefined,
  };
}

/**
 * What the hall keeps of an applicant: the fields named here and nothing else, so that an ID number
 * can never be recorded, even from a command that reached the engine unhashed.
 */
export function onFile(a: { name?: string; phone?: string; idHash?: string }): ApplicantOnFile {
  return {
    ...(a.name === undefined ? {} : { name: a.name }),
    ...(a.phone === undefined ? {} : { phone: a.phone }),
    ...(a.idHash === undefined ? {} : { idHash: a.idHash }),
  };
}

/** An applicant as the engine receives it: the ID number replaced by `hashId(idNumber)`. */
export function sealApplicant(a: ApplicantInput, hashId: (idNumber: string) => string): ApplicantOnFile {
  return onFile({
    name: a.name,
    phone: a.phone,
    idHash: a.idNumber === undefined ? undefined : hashId(a.idNumber),
  });
}
