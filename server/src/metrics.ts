import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Server } from 'socket.io';
import type { CommandType, Result } from '@yichuang/protocol';
import { NAMESPACES } from '@yichuang/protocol';
import { processFaults } from './process-guard.js';

/** The hub's Prometheus metrics (`/metrics`). */
export class Metrics {
  readonly registry = new Registry();
  private readonly commands = new Counter({
    name: 'yc_commands_total',
    help: 'Commands answered, by command type and outcome',
    labelNames: ['type', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly rejections = new Counter({
    name: 'yc_rejections_total',
    help: 'Commands rejected, by command type and error code',
    labelNames: ['type', 'code'] as const,
    registers: [this.registry],
  });
  private readonly latency = new Histogram({
    name: 'yc_command_duration_seconds',
    help: 'Time from a command arriving to its answer (includes the durable write)',
    labelNames: ['type'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
    registers: [this.registry],
  });

  constructor(io: () => Server | undefined, queueDepth?: () => Promise<number>) {
    collectDefaultMetrics({ register: this.registry, prefix: 'yc_' });
    new Gauge({
      name: 'yc_connected_clients',
      help: 'Sockets connected to this node, by namespace',
      labelNames: ['namespace'] as const,
      registers: [this.registry],
      collect() {
        const server = io();
        for (const ns of Object.values(NAMESPACES))
          this.set({ namespace: ns }, server?.of(ns).sockets.size ?? 0);
      },
    });
    new Counter({
      name: 'yc_process_faults_total',
      help: 'Errors that escaped to the process (unhandled rejections, uncaught exceptions), logged and survived',
      labelNames: ['kind'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [kind, n] of Object.entries(processFaults)) this.inc({ kind }, n);
      },
    });
    if (queueDepth)
      new Gauge({
        name: 'yc_job_queue_depth',
        help: 'Timer jobs waiting, delayed or running',
        registers: [this.registry],
        async collect() {
          this.set(await queueDepth().catch(() => -1));
        },
      });
  }

  /** Records one answered command. */
  observe(type: CommandType, result: Result<unknown>, seconds: number): void {
    this.latency.observe({ type }, seconds);
    this.commands.inc({ type, outcome: result.ok ? 'applied' : 'rejected' });
    if (!result.ok) this.rejections.inc({ type, code: result.error.code });
  }
}
