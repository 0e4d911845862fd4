import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * #13: the service catalogue (R3, R27, R28, R39): what a service is, what it takes and how long,
 * and who may handle it; and the written notices a counter gives from it (R18, R24, R27).
 */

/** 事项类型: the kinds of government service matters (行政许可, 行政确认, 行政给付, 行政裁决, 行政奖励, 公共服务, 其他). */
export const MatterType = z.enum([
  'licence',
  'confirmation',
  'payment',
  'ruling',
  'reward',
  'public-service',
  'other',
]);
export type MatterType = z.infer<typeof MatterType>;

/** How a material is handed in. */
export const MaterialForm = z.enum(['original', 'copy', 'original-and-copy', 'electronic']);
export type MaterialForm = z.infer<typeof MaterialForm>;

export const Material = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens'),
    name: z.string().trim().min(1).max(80),
    form: MaterialForm,
    copies: z.number().int().min(1).max(20).default(1),
    /** R27 (容缺): may be owed for a while when the main materials are complete. */
    deficiencyAllowed: z.boolean().default(false),
    note: z.string().trim().max(200).default(''),
  })
  .strict();
export type Material = z.infer<typeof Material>;

/** A service's entry in the catalogue, as an admin keeps it. */
export const ServiceCatalogue = z
  .object({
    matterType: MatterType,
    /** 实施部门: the department the service belongs to. */
    department: z.string().trim().min(1).max(60),
    /** 受理条件 and 办理流程: what the guide tells an applicant (R24). */
    conditions: z.string().trim().max(1000).default(''),
    guide: z.string().trim().max(2000).default(''),
    materials: z.array(Material).max(40),
    /** 法定办结时限, in working days (null: none set by law). */
    legalDays: z.number().int().min(0).max(365).nullable(),
    /** 承诺办结时限, in working days (0: on the spot). */
    promisedDays: z.number().int().min(0).max(365),
    /** R28 (告知承诺): the applicant may commit in writing instead of proving some conditions. */
    notifyAndCommit: z.boolean().default(false),
    /** R27: how long owed materials may be owed, in working days. */
    deficiencyDays: z.number().int().min(1).max(60).default(5),
    /** R39: the staff the department authorised to accept it (empty: every window clerk). */
    authorisedStaff: z.array(Id).max(200).default([]),
    fee: z.string().trim().max(100).default(''),
  })
  .strict();
export type ServiceCatalogue = z.infer<typeof ServiceCatalogue>;

/**
 * What is wrong with a catalogue entry beyond its shape (null: nothing): materials named twice, a
 * promise beyond the legal limit, an authorised staff member who is not staff of the hall.
 */
export function catalogueProblem(c: ServiceCatalogue, staffIds: ReadonlySet<string>): string | null {
  const ids = new Set<string>();
  for (const m of c.materials) {
    if (ids.has(m.id)) return `Material ${m.id} is listed twice.`;
    ids.add(m.id);
  }
  if (c.legalDays !== null && c.promisedDays > c.legalDays)
    return `The promised ${c.promisedDays} working days exceed the legal ${c.legalDays}.`;
  const stranger = c.authorisedStaff.find((id) => !staffIds.has(id));
  if (stranger) return `${stranger} is not staff of this hall.`;
  return null;
}

/** R18: the three written notices a counter gives (附录E, F, G). */
export const NoticeKind = z.enum(['acceptance', 'non-acceptance', 'one-time']);
export type NoticeKind = z.infer<typeof NoticeKind>;

/** A material as it was listed on a notice (the catalogue may change later; the notice does not). */
export const NoticeMaterial = Material.pick({ id: true, name: true, form: true, copies: true, note: true });
export type NoticeMaterial = z.infer<typeof NoticeMaterial>;

/** A written notice given for a ticket, numbered per hall, kind and year: (2026)告字第000012号. */
export const WrittenNotice = z.object({
  id: Id,
  kind: NoticeKind,
  number: z.string(),
  at: Timestamp,
  ticketId: Id,
  ticketNumber: z.string(),
  serviceId: Id,
  counterId: Id.nullable(),
  staffId: Id,
  /** One-time notice: what is missing; acceptance with deficiencies (R27): what is owed. */
  materials: z.array(NoticeMaterial),
  /** Non-acceptance: why. */
  reason: z.string(),
  /** R27: the owed materials are due by then (null: nothing owed). */
  owedUntil: Timestamp.nullable(),
  /** The service's promise when it was accepted (working days), and the day it is due. */
  promisedDays: z.number().int().nullable(),
  dueBy: Timestamp.nullable(),
});
export type WrittenNotice = z.infer<typeof WrittenNotice>;

/** The character of a notice's number: 受 acceptance, 不 non-acceptance, 告 one-time. */
export const NOTICE_MARK: Record<NoticeKind, string> = {
  acceptance: '受',
  'non-acceptance': '不',
  'one-time': '告',
};
