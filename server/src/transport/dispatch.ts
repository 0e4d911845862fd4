import type { Actor, CommandReply, CommandType, Id, Result } from '@yichuang/protocol';
import { describeIssues, fail, parseCommand } from '@yichuang/protocol';
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
