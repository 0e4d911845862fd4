import type { Id } from '@yichuang/protocol';

/** What the soak tells its load driver. */
export type DriverStart = {
  kind: 'start';
  /** The balancer's origin. */
  url: string;
  hallId: Id;
  seed: number;
  screens: number;
  clerks: Array<{ counterId: Id; token: string }>;
  serviceIds: Id[];
  issuePerSecond: number;
  /** A clerk's pause between actions, min and max ms. */
  thinkMs: [number, number];
};
export type ToDriver =
  | DriverStart
  | { kind: 'quiesce' }
  | { kind: 'issue-one'; serviceId: Id }
  | { kind: 'report' }
  | { kind: 'stop' };

/** What the driver saw: every acknowledgement, every answer counted, where each screen is. */
export type DriverReport = {
  kind: 'report';
  /** Tickets whose issue was acknowledged (201). */
  tickets: Array<{ id: Id; number: string; serviceId: Id }>;
  /** Calls and recalls acknowledged, with the hall version the ack carried. */
  calls: Array<{ ticketId: Id; counterId: Id; version: number; recall: boolean }>;
  /** Answers by "command outcome" (ok, an error code, or unreachable). */
  outcomes: Record<string, number>;
  /** When each `unavailable` or unreachable answer came (ms since the epoch). */
  unavailableAt: number[];
  /** The version each public screen holds (-1 before its first snapshot). */
  screenVersions: number[];
  screensOnline: number;
};
