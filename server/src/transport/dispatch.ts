import type { Actor, Command, CommandReply, CommandType, ErrorBody, Id, Result } from '@yichuang/protocol';
import { describeIssues, fail, isManager, parseCommand } from '@yichuang/protocol';
import { verifyPassword } from '../auth.js';
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
  metrics?: Metrics,
  key?: string,
): Promise<Result<CommandReply>> {
  const started = performance.now();
  const result = await run(halls, hallId, type, payload, actor, key);
  metrics?.observe(type, result, (performance.now() - started) / 1000);
  return result;
}

async function run(
  halls: HallService,
  hallId: Id,
  type: CommandType,
  payload: unknown,
  actor: Actor,
  key?: string,
): Promise<Result<CommandReply>> {
  const parsed = parseCommand(type, payload);
  if (!parsed.ok) return fail('invalid-payload', `Invalid ${type}: ${describeIssues(parsed.error)}`);
  if (parsed.command.type === 'counter:resume') {
    const locked = await stillLocked(halls, hallId, parsed.command, actor);
    if (locked) return { ok: false, error: locked };
  }
  const r = await halls.execute(hallId, parsed.command, actor, key);
  if (!r.ok) return r;
  const { state, events, replayOf } = r.data;
  const last = events[events.length - 1];
  // A retry answers with the ticket its first attempt concerned.
  const ticketId =
    replayOf?.ticketId ??
    (last && 'ticketId' in last
      ? last.ticketId
      : 'ticketId' in parsed.command
        ? parsed.command.ticketId
        : undefined);
  const counterId = 'counterId' in parsed.command ? parsed.command.counterId : undefined;
  return {
    ok: true,
    data: {
      version: state.version,
      ticket: (ticketId && state.tickets.get(ticketId)) || null,
      counter: (counterId && state.counters.get(counterId)) || null,
      ...(replayOf ? { replayed: true } : {}),
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
): Promise<ErrorBody | null> {
  if (actor.kind !== 'staff' || isManager(actor)) return null;
  const state = halls.state(hallId);
  const counter = state?.counters.get(cmd.counterId);
  // Anything else wrong (not paused, not this clerk's counter) the engine answers as usual.
  if (!state || counter?.state !== 'paused' || counter.staffId !== actor.staffId) return null;
  const staff = state.config.staff.find((s) => s.id === actor.staffId);
  if (staff && cmd.password && (await verifyPassword(cmd.password, staff.passwordHash))) return null;
  return { code: 'wrong-password', message: 'Wrong password: the window stays locked.' };
}
