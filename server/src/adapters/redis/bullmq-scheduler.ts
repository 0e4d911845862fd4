import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Id } from '@yichuang/protocol';
import type { Timer } from '../../engine/index.js';
import type { Clock, DueHandler, Scheduler } from '../../ports/index.js';

type TimerJob = { hallId: Id; timer: Timer };

/** The id of a timer's job: deterministic, so scheduling the same timer twice keeps one job. */
const jobId = (hallId: Id, key: string) => `${hallId}|${key}`.replace(/:/g, '.');

/**
 * Timers as BullMQ delayed jobs, shared by every hub node: a job is delivered to one worker,
 * at least once (a worker killed mid-job hands it on after the lock expires), so the commands
 * they carry are idempotent in the engine.
 */
export class BullMqScheduler implements Scheduler {
  private readonly queue: Queue<TimerJob>;
  private worker: Worker<TimerJob> | null = null;

  constructor(
    private readonly connection: ConnectionOptions,
    private readonly prefix: string,
    private readonly clock: Clock,
    private readonly name = 'timers',
    /** Connection errors of the queue and the worker: BullMQ reconnects; an unheard error would throw. */
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.queue = new Queue<TimerJob>(name, { connection, prefix: `${prefix}bull` });
    this.queue.on('error', onError);
  }

  async schedule(hallId: Id, timer: Timer): Promise<void> {
    await this.queue.add(
      'timer',
      { hallId, timer },
      {
        jobId: jobId(hallId, timer.key),
        delay: Math.max(0, timer.at - this.clock.now()),
        removeOnComplete: true,
        removeOnFail: 1000,
        attempts: 5,
        backoff: { type: 'exponential', delay: 1000 },
      },
    );
  }

  async cancel(hallId: Id, key: string): Promise<void> {
    // A job being delivered right now cannot be removed; the engine ignores it once stale.
    await this.queue.remove(jobId(hallId, key)).catch(() => 0);
  }

  async pending(hallId: Id): Promise<string[]> {
    const jobs = await this.queue.getJobs(['delayed', 'waiting', 'prioritized']);
    return jobs.filter((j) => j?.data.hallId === hallId).map((j) => j.data.timer.key);
  }

  onDue(handler: DueHandler): void {
    this.worker = new Worker<TimerJob>(this.name, (job) => handler(job.data.hallId, job.data.timer), {
      connection: this.connection,
      prefix: `${this.prefix}bull`,
      concurrency: 4,
      lockDuration: 10_000,
      stalledInterval: 5_000,
    });
    this.worker.on('error', this.onError);
  }

  /** Timers waiting or delayed, for the job queue depth metric. */
  async depth(): Promise<number> {
    const c = await this.queue.getJobCounts('delayed', 'waiting', 'active', 'prioritized');
    return Object.values(c).reduce((a, b) => a + b, 0);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
  }
}
