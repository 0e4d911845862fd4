import type { Logger } from 'pino';

/**
 * A hall's durable record can no longer be trusted (the journal cannot say what it holds): the
 * one kind of fault that stops the hub, on purpose, because deciding on an unknown state could
 * issue a number twice.
 */
export class HallStateUnknownError extends Error {
  override name = 'HallStateUnknownError';
}

/** Faults that reached the process rather than the component that caused them, counted for /metrics. */
export const processFaults = { unhandledRejection: 0, uncaughtException: 0 };

/** Names the library an error came from by its stack, so the log says which component to look at. */
export function componentOf(err: unknown): string {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  if (/ioredis|redis-streams-adapter/.test(stack)) return 'redis';
  if (/bullmq/.test(stack)) return 'bullmq';
  if (/socket\.io|engine\.io/.test(stack)) return 'socket.io';
  if (/[/\\](mqtt|aedes)[/\\]/.test(stack)) return 'mqtt';
  return 'hub';
}

/**
 * The process-wide rule: an error from a client library is that component's to handle (each
 * connection logs its errors and reconnects); one that escapes to the process is logged with
 * its component and counted, and the hub keeps serving. Only `HallStateUnknownError` stops it.
 */
export function guardProcess(logger: Logger, stop: (err: Error) => void): void {
  const handle = (kind: keyof typeof processFaults) => (reason: unknown) => {
    if (reason instanceof HallStateUnknownError) return stop(reason);
    processFaults[kind]++;
    const err = reason instanceof Error ? reason : new Error(String(reason));
    logger.error({ component: componentOf(err), kind, err }, `${kind}: logged and survived`);
  };
  process.on('unhandledRejection', handle('unhandledRejection'));
  process.on('uncaughtException', handle('uncaughtException'));
}
