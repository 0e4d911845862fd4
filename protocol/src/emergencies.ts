import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/** The emergencies of the standard's appendix H (R38), and free text for anything else. */
export const EmergencyType = z.enum([
  'fire',
  'power-cut',
  'lift-failure',
  'illness',
  'disorder',
  'petition',
  'other',
]);
export type EmergencyType = z.infer<typeof EmergencyType>;

/**
 * What each type does to the hall (R38, appendix H). A fire is evacuated (nobody is to come in and
 * take a number); a power cut switches the devices off and the waiting are registered for another
 * day; the others are dealt with while the hall goes on serving.
 */
export const EMERGENCY_PLAYBOOK: Record<EmergencyType, { stopsIssuing: boolean; evacuate: boolean }> = {
  fire: { stopsIssuing: true, evacuate: true },
  'power-cut': { stopsIssuing: true, evacuate: false },
  'lift-failure': { stopsIssuing: false, evacuate: false },
  illness: { stopsIssuing: false, evacuate: false },
  disorder: { stopsIssuing: false, evacuate: false },
  petition: { stopsIssuing: false, evacuate: false },
  other: { stopsIssuing: false, evacuate: false },
};

/** What shows an emergency: a wall, a counter panel, a kiosk, the console, or a device of the gateway. */
export const ScreenKind = z.enum([
  'wall',
  'panel',
  'kiosk',
  'console',
  'window-display',
  'speaker',
  'mobile',
]);
export type ScreenKind = z.infer<typeof ScreenKind>;

/** A screen or device that showed (or said) the emergency: the console's delivery receipts. */
export const Receipt = z.object({ screen: Id, kind: ScreenKind, at: Timestamp });
export type Receipt = z.infer<typeof Receipt>;

/** How many receipts an emergency keeps (far more than a hall has screens; a flood stops here). */
export const MAX_RECEIPTS = 500;

/** The emergency in force, as the public sees it. */
export const PublicEmergency = z.object({
  id: Id,
  kind: EmergencyType,
  text: z.string(),
  stopsIssuing: z.boolean(),
  evacuate: z.boolean(),
  declaredAt: Timestamp,
});
export type PublicEmergency = z.infer<typeof PublicEmergency>;

/** The emergency in force, as staff see it: who declared it and where it has been shown. */
export const Emergency = PublicEmergency.extend({ declaredBy: Id.nullable(), receipts: z.array(Receipt) });
export type Emergency = z.infer<typeof Emergency>;

/** The emergency a `hall:emergency-declared` event puts in force, as the public sees it (the wall and the engine alike). */
export function publicEmergencyOf(e: {
  emergencyId: Id;
  kind: EmergencyType;
  text: string;
  stopsIssuing: boolean;
  evacuate: boolean;
  at: number;
}): PublicEmergency {
  const { emergencyId: id, kind, text, stopsIssuing, evacuate, at: declaredAt } = e;
  return { id, kind, text, stopsIssuing, evacuate, declaredAt };
}
