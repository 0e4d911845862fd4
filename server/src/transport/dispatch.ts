import type {
  Actor,
  ApplicantOnFile,
  Command,
  CommandReply,
  CommandType,
  ErrorBody,
  HallEvent,
  Id,
  Result,
  RevealedApplicant,
} from '@yichuang/protocol';
import { describeIssues, fail, isManager, parseCommand, sealCommand } from '@yichuang/protocol';
import { verifyPassword } from '../auth.js';
import { auditWho, type AuditTrail } from '../audit.js';
import type { LoginGuard } from './login-guard.js';
import type { HallState } from '../engine/index.js';
import type { HallService } from '../hall-service.js';
import type { Metrics } from '../metrics.js';

/**
 * The one path every inbound command takes, from REST and socket.io alike: validate against
 * the protocol schema, run it on the hall, and answer with a Result. A bad payload changes nothing.
 */
export async function dispatch(
  halls: HallService,
  hallId: Id,
  type: CommandType,
  payload: unknown,
  actor: Actor,
  opts: DispatchOptions = {},
): Promise<Result<CommandReply>> {
  const started = performance.now();
  const result = await run(halls, hallId, type, payload, actor, opts);
  opts.metrics?.observe(type, result, (performance.now() - started) / 1000);
  if (opts.audit && audited(actor, result))
    opts.audit.record({
      hallId,
      who: auditWho(actor),
      action: type,
      target: targetOf(payload),
      ...(type === 'ticket:reveal-applicant' || type === 'case:reveal-applicant'
        ? { detail: reasonOf(payload) }
        : {}),
      outcome: result.ok ? 'done' : 'refused',
      code: result.ok ? null : result.error.code,
      ...(opts.address === undefined ? {} : { address: opts.address }),
      via: opts.via ?? 'rest',
    });
  return result;
}

/** Where a command came from, for the metrics and the audit log. */
export type DispatchOptions = {
  metrics?: Metrics | undefined;
  /** The client's idempotency key. */
  key?: string | undefined;
  audit?: AuditTrail | undefined;
  address?: string | undefined;
  via?: 'rest' | 'socket' | 'gateway';
  /** #12: wrong unlock passwords counted per staff member, as wrong sign-ins are (see LoginGuard). */
  unlockGuard?: LoginGuard | undefined;
  /** #12, R9: the keyed hash an ID number is replaced by before the hall sees it. */
  hashId?: ((idNumber: string) => string) | undefined;
};

/** Why an applicant's details were revealed, for the audit log. */
const reasonOf = (payload: unknown) =>
  typeof payload === 'object' &&
  payload !== null &&
  typeof (payload as { reason?: unknown }).reason === 'string'
    ? (payload as { reason: string }).reason.slice(0, 200)
    : '';

/**
 * #12: what the audit log keeps: every action of staff, managers, admins and devices, done or
 * refused, and every attempt refused for who it came from. Not an applicant's ticket, not the
 * scheduler's timers.
 */
function audited(actor: Actor, result: Result<CommandReply>): boolean {
  if (actor.kind === 'staff' || actor.kind === 'device') return true;
  return !result.ok && (result.error.code === 'not-allowed' || result.error.code === 'unauthenticated');
}

/** The record a command names (never a password or a note): its first id field. */
function targetOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  for (const k of [
    'caseId',
    'counterId',
    'ticketId',
    'staffId',
    'deviceId',
    'alertId',
    'serviceId',
    'emergencyId',
    'leaveId',
  ])
    if (typeof p[k] === 'string') return p[k];
  return null;
}

async function run(
  halls: HallService,
  hallId: Id,
  type: CommandType,
  payload: unknown,
  actor: Actor,
  opts: DispatchOptions,
): Promise<Result<CommandReply>> {
  const key = opts.key;
  const wire = parseCommand(type, payload);
  if (!wire.ok) return fail('invalid-payload', `Invalid ${type}: ${describeIssues(wire.error)}`);
  const hasIdNumber = wire.command.type === 'ticket:issue' && wire.command.applicant?.idNumber !== undefined;
  if (hasIdNumber && !opts.hashId) return fail('internal-error', 'This door of the hub takes no ID numbers.');
  const command = sealCommand(wire.command, opts.hashId ?? String);
  if (command.type === 'counter:resume') {
    const locked = await stillLocked(halls, hallId, command, actor, opts.unlockGuard);
    if (locked) return { ok: false, error: locked };
  }
  const r = await halls.execute(hallId, command, actor, key);
  if (!r.ok) return r;
  const { state, events, replayOf } = r.data;
  const last = events[events.length - 1];
  // A retry answers with the ticket its first attempt concerned.
  const ticketId =
    replayOf?.ticketId ??
    (last && 'ticketId' in last ? last.ticketId : 'ticketId' in command ? command.ticketId : undefined);
  const counterId = 'counterId' in command ? command.counterId : undefined;
  return {
    ok: true,
    data: {
      version: state.version,
      ticket: (ticketId && state.tickets.get(ticketId)) || null,
      counter: (counterId && state.counters.get(counterId)) || null,
      ...(replayOf ? { replayed: true } : {}),
      ...(command.type === 'ticket:reveal-applicant' && ticketId
        ? { applicant: revealed(state.applicants.get(ticketId)) }
        : {}),
      ...caseReply(state, command, events),
    },
  };
}

/**
 * R19: a paused counter's panel is locked, and only the password of the staff member signed in
 * there unlocks it. The hub checks it here, off the engine (hashing is slow and the engine is pure);
 * the password goes no further. Managers and the counter's own devices resume without one.
 */
async function stillLocked(
  halls: HallService,
  hallId: Id,
  cmd: Extract<Command, { type: 'counter:resume' }>,
  actor: Actor,
  guard: LoginGuard | undefined,
): Promise<ErrorBody | null> {
  if (actor.kind !== 'staff' || isManager(actor)) return null;
  const state = halls.state(hallId);
  const counter = state?.counters.get(cmd.counterId);
  // Anything else wrong (not paused, not this clerk's counter) the engine answers as usual.
  if (!state || counter?.state !== 'paused' || counter.staffId !== actor.staffId) return null;
  // #12: guessing a colleague's password at their unattended panel is limited like signing in.
  const who = `unlock:${hallId}:${actor.staffId}`;
  const wait = (await guard?.retryAfter(who, who)) ?? 0;
  if (wait > 0)
    return {
      code: 'rate-limited',
      message: `Too many wrong passwords: the window stays locked for ${Math.ceil(wait / 1000)} s.`,
    };
  const staff = state.config.staff.find((s) => s.id === actor.staffId);
  if (staff && cmd.password && (await verifyPassword(cmd.password, staff.passwordHash))) {
    await guard?.succeeded(who);
    return null;
  }
  await guard?.failed(who, who);
  return { code: 'wrong-password', message: 'Wrong password: the window stays locked.' };
}

/** A case command answers with the case as it is now; a case's reveal with its applicant in full. */
function caseReply(state: HallState, command: Command, events: readonly HallEvent[]) {
  const caseId = 'caseId' in command ? command.caseId : events.find((e) => e.type === 'case:opened')?.caseId;
  const c = caseId === undefined ? undefined : state.cases.get(caseId);
  if (!c) return {};
  return {
    case: c,
    ...(command.type === 'case:reveal-applicant'
      ? { applicant: revealed(state.caseApplicants.get(c.id)) }
      : {}),
  };
}

/** #12, R9: what a reveal answers: the name and number on file (the ID number the hall never had). */
function revealed(a: ApplicantOnFile | undefined): RevealedApplicant {
  return { name: a?.name ?? null, phone: a?.phone ?? null };
}
