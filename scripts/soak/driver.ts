// The soak's load driver (forked by scripts/soak/index.ts): a busy hall day played at high speed
// through the balancer. Kiosks issue over REST, clerks work their counters over socket.io, and
// public screens follow the hall. It records every acknowledgement it receives, so the soak can
// check them against the event log at the end.
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type {
  CommandReply,
  CommandType,
  ErrorCode,
  PublicSnapshot,
  Result,
  StaffEvent,
  StaffSnapshot,
  TicketView,
  VersionedEvent,
} from '@yichuang/protocol';
import { applyStaffEvent } from '@yichuang/protocol';
import { connectHall, type HallLink } from '@yichuang/protocol/client';
import type { DriverReport, DriverStart, ToDriver } from './messages.js';

const send = (m: unknown) => process.send?.(m);

let start: DriverStart;
let running = true;
const rng = { gen: xoroshiro128plus(1) };
const random = () => uniformFloat64(rng.gen);
const pick = <T>(xs: readonly T[]): T => xs[uniformInt(rng.gen, 0, xs.length - 1)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const report: DriverReport = {
  kind: 'report',
  tickets: [],
  calls: [],
  outcomes: {},
  unavailableAt: [],
  screenVersions: [],
  screensOnline: 0,
};

/** Counts an answer under its command type and outcome (ok, an error code, or unreachable). */
function count(type: CommandType, outcome: ErrorCode | 'ok' | 'unreachable') {
  const key = `${type} ${outcome}`;
  report.outcomes[key] = (report.outcomes[key] ?? 0) + 1;
  if (outcome === 'unavailable' || outcome === 'unreachable') report.unavailableAt.push(Date.now());
}

/** One kiosk press: a ticket over REST, as the dispenser asks for it. */
async function issueOne(serviceId: string): Promise<void> {
  try {
    const res = await fetch(`${start.url}/api/v1/halls/${start.hallId}/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ serviceId, channel: 'kiosk' }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await res.json()) as TicketView & { error?: { code: ErrorCode } };
    if (res.status === 201) {
      report.tickets.push({ id: body.id, number: body.number, serviceId });
      count('ticket:issue', 'ok');
    } else count('ticket:issue', body.error?.code ?? 'internal-error');
  } catch {
    count('ticket:issue', 'unreachable');
  }
}

async function kiosks(): Promise<void> {
  while (running) {
    // Poisson arrivals at the planned rate.
    await sleep((-Math.log(1 - random()) * 1000) / start.issuePerSecond);
    if (running) void issueOne(pick(start.serviceIds));
  }
}

/** A clerk at a counter, acting on what the counter's live state says, as a person would. */
function clerk(counterId: string, token: string): HallLink {
  let hall: StaffSnapshot | null = null;
  const link = connectHall<StaffSnapshot, StaffEvent>({
    url: start.url,
    namespace: '/counter',
    auth: { hallId: start.hallId, token },
    onSnapshot: (s) => (hall = s),
    onEvent: (e) => {
      if (hall) hall = applyStaffEvent(hall, e);
    },
    onLink: () => undefined,
  });
  const act = async <K extends CommandType>(type: K, payload: Record<string, unknown>) => {
    const r: Result<CommandReply> = await link.send(type, payload as never);
    count(type, r.ok ? 'ok' : r.error.code);
    if (r.ok && (type === 'counter:call-next' || type === 'counter:recall') && r.data.ticket)
      report.calls.push({
        ticketId: r.data.ticket.id,
        counterId,
        version: r.data.version,
        recall: type === 'counter:recall',
      });
    return r;
  };
  void (async () => {
    while (running) {
      await sleep(start.thinkMs[0] + random() * (start.thinkMs[1] - start.thinkMs[0]));
      const status = (hall as StaffSnapshot | null)?.counterStatus.find((c) => c.id === counterId);
      if (!running || !status || !link.socket.connected) continue;
      const roll = random();
      switch (status.state) {
        case 'closed':
          await act('counter:open', { counterId });
          break;
        case 'open':
          if (roll < 0.02) await act('counter:pause', { counterId, reason: 'material' });
          else if (roll < 0.025) await act('counter:close', { counterId });
          else {
            const r = await act('counter:call-next', { counterId });
            if (!r.ok && r.error.code === 'queue-empty') await sleep(300);
          }
          break;
        case 'paused':
          await act('counter:resume', { counterId, password: 'demo' });
          break;
        case 'calling':
          if (roll < 0.8) await act('counter:start', { counterId });
          else if (roll < 0.9) await act('counter:no-show', { counterId });
          else await act('counter:recall', { counterId });
          break;
        case 'serving':
          if (roll < 0.8) await act('counter:complete', { counterId, outcome: 'accepted' });
          else if (roll < 0.9)
            await act('counter:transfer', {
              counterId,
              to: { serviceId: pick(start.serviceIds) },
              note: '需另一部门办理',
            });
          else if (roll < 0.95) await act('counter:requeue', { counterId });
          else await act('counter:complete', { counterId, outcome: 'one-time-notice' });
          break;
      }
    }
  })();
  return link;
}

/** A public screen: it holds the hall's version, resyncing on a gap as the wall does. */
function screen(index: number): HallLink {
  report.screenVersions[index] = -1;
  return connectHall<PublicSnapshot, VersionedEvent>({
    url: start.url,
    namespace: '/display',
    auth: { hallId: start.hallId },
    onSnapshot: (s) => (report.screenVersions[index] = s.version),
    onEvent: (e) => (report.screenVersions[index] = e.version),
    onLink: () => undefined,
  });
}

const links: HallLink[] = [];

process.on('message', (m: ToDriver) => {
  if (m.kind === 'start') {
    start = m;
    rng.gen = xoroshiro128plus(m.seed);
    for (let i = 0; i < m.screens; i++) links.push(screen(i));
    for (const c of m.clerks) links.push(clerk(c.counterId, c.token));
    void kiosks();
    send({ kind: 'started' });
  } else if (m.kind === 'quiesce') {
    running = false;
    send({ kind: 'quiet' });
  } else if (m.kind === 'issue-one') {
    void issueOne(m.serviceId).then(() => send({ kind: 'issued' }));
  } else if (m.kind === 'report') {
    report.screensOnline = links.filter((l) => l.socket.connected).length;
    send(report);
  } else if (m.kind === 'stop') {
    for (const l of links) l.close();
    process.exit(0);
  }
});
