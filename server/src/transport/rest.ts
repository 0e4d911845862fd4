import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Actor, CommandType, ErrorCode, HallConfig, Result } from '@yichuang/protocol';
import { stringify } from 'csv-stringify/sync';
import {
  STAFF_PATH_ACTIONS,
  OpenCaseBody,
  pathActionBody,
  AuditQuery,
  auditMatches,
  dayRange,
  managerOf,
  accountOf,
  RefreshBody,
  AttendanceQuery,
  isManager,
  localDay,
  timeOffOwed,
  COUNTER_ACTIONS,
  DeclareEmergencyBody,
  counterActionBody,
  describeIssues,
  IdempotencyKey,
  fail,
  LoginBody,
  RatingBody,
  type CounterAction,
} from '@yichuang/protocol';
import { actorFor, sessionActor, verifyPassword, type TokenService } from '../auth.js';
import { factsOf, publicSnapshot, staffSnapshot, ticketView } from '../engine/index.js';
import { withoutNotes } from './staff-views.js';
import type { HallService } from '../hall-service.js';
import type { Clock } from '../ports/index.js';
import { dispatch } from './dispatch.js';
import type { LoginGuard } from './login-guard.js';
import type { Limiter } from './limits.js';
import type { AuditTrail } from '../audit.js';
import { HTTP_STATUS } from './http-status.js';
import { openApiDocument } from './openapi.js';
import type { Metrics } from '../metrics.js';
import type { HistoryStore } from '../ports/history-store.js';
import { reportRoutes } from './reports.js';
import { ATTENDANCE_HEADINGS, attendanceRows } from './staff-tables.js';
import { attendanceBetween } from '../history/attendance.js';

export type RestDeps = {
  halls: HallService;
  tokens: TokenService;
  clock: Clock;
  logger: Logger;
  health: () => Record<string, unknown>;
  ready: () => Promise<{ ready: boolean; detail: Record<string, unknown> }>;
  metrics: Metrics;
  /** See `Components.metricsToken`. */
  metricsToken?: string;
  /** #12: tickets and reads without a credential, per address (see limits.ts). */
  publicIssue: Limiter;
  publicReads: Limiter;
  audit: AuditTrail;
  /** Wrong unlock passwords at paused panels, counted per staff member (shared with the sockets). */
  loginGuard: LoginGuard;
  unlockGuard: LoginGuard;
  hashId: (idNumber: string) => string;
  /** #14: the history store the reports read (none: no report routes). */
  history?: HistoryStore;
};

const sendError = (res: Response, code: ErrorCode, message: string) =>
  res.status(HTTP_STATUS[code]).json(fail(code, message));

function send<T>(res: Response, r: Result<T>, status = 200) {
  if (r.ok) res.status(status).json(r.data);
  else sendError(res, r.error.code, r.error.message);
}

/**
 * The request's Idempotency-Key, scoped to its caller so one caller's key never answers another's:
 * undefined without the header, false when it is malformed.
 */
function idempotencyKey(req: Request, actor: Actor): string | undefined | false {
  const raw = req.get('idempotency-key');
  if (raw === undefined) return undefined;
  if (!IdempotencyKey.safeParse(raw).success) return false;
  const who =
    actor.kind === 'staff'
      ? `staff:${actor.staffId}`
      : actor.kind === 'device'
        ? `device:${actor.deviceId}`
        : actor.kind;
  return `rest:${who}:${raw}`;
}

const bearer = (req: Request) => /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1];

/** The REST API under /api/v1, plus /healthz. */
export function restRouter(deps: RestDeps): express.Router {
  const { halls, tokens, clock } = deps;
  const router = express.Router();
  const hallConfig = (id: string): HallConfig | undefined => halls.state(id)?.config;
  /** Where a REST command came from, for the metrics and the audit log. */
  const through = (req: Request) => ({
    metrics: deps.metrics,
    audit: deps.audit,
    unlockGuard: deps.unlockGuard,
    hashId: deps.hashId,
    address: req.ip ?? '',
    via: 'rest' as const,
  });

  router.get('/healthz', (_req, res) => {
    res.json({ ok: true, ...deps.health() });
  });

  // Ready = the backing services answer and every hall's projection has caught up.
  router.get('/readyz', async (_req, res) => {
    const r = await deps.ready().catch((err: Error) => ({ ready: false, detail: { error: err.message } }));
    res.status(r.ready ? 200 : 503).json({ ok: r.ready, ...r.detail });
  });

  // #12: the metrics tell who works where and how busy the hall is: not for anyone on the LAN.
  router.get('/metrics', (req, res, next) => {
    if (!metricsAllowed(req, deps.metricsToken))
      return sendError(
        res,
        'unauthenticated',
        'The metrics need their token (METRICS_TOKEN), or a request from this machine.',
      );
    next();
  });
  router.get('/metrics', async (_req, res) => {
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });

  const api = express.Router();
  api.use(express.json({ limit: '16kb' }));

  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  api.get('/halls', (_req, res) => {
    res.json(
      halls.hallIds().map((id) => {
        const c = hallConfig(id)!;
        return { id: c.id, name: c.name, nameEn: c.nameEn, level: c.level };
      }),
    );
  });

  api.get('/halls/:hallId', (req, res) => {
    const c = hallConfig(req.params.hallId);
    if (!c) return sendError(res, 'unknown-hall', `No hall ${req.params.hallId}.`);
    const state = halls.state(c.id)!;
    res.json({
      id: c.id,
      name: c.name,
      nameEn: c.nameEn,
      level: c.level,
      timeZone: c.timeZone,
      services: c.services.map(({ id, code, name, nameEn, prefix, category }) => ({
        id,
        code,
        name,
        nameEn,
        prefix,
        category,
      })),
      counters: c.counters.map(({ id, number, type }) => ({
        id,
        number,
        type,
        serviceIds: state.counters.get(id)?.serviceIds ?? [],
      })),
    });
  });

  /** #12: a public read counts against its address; over the limit it waits (429, Retry-After). */
  const publicRead = async (req: Request, res: Response): Promise<boolean> => {
    const wait = await deps.publicReads.take(req.ip ?? '');
    if (wait === 0) return true;
    res.set('retry-after', String(Math.ceil(wait / 1000)));
    sendError(
      res,
      'rate-limited',
      `Too many requests from this address: try again in ${Math.ceil(wait / 1000)} s.`,
    );
    return false;
  };

  api.get('/halls/:hallId/public', async (req, res) => {
    if (!(await publicRead(req, res))) return;
    const state = halls.state(req.params.hallId);
    if (!state) return sendError(res, 'unknown-hall', `No hall ${req.params.hallId}.`);
    res.json(publicSnapshot(state));
  });

  /** Resolves the caller of a hall route; public callers get `{ kind: 'public' }`. */
  const callerOf = (req: Request, hall: HallConfig): Actor | null => {
    const credential = bearer(req);
    if (!credential) return { kind: 'public' };
    const actor = actorFor(credential, hall.id, (id) => halls.state(id), tokens, clock.now());
    // #12: a credential that opens nothing here is a denied attempt, kept with where it came from.
    if (!actor)
      deps.audit.record({
        hallId: hall.id,
        who: 'unknown-credential',
        action: `http:${req.method} ${req.baseUrl}${(req.route as { path?: string } | undefined)?.path ?? req.path}`,
        outcome: 'refused',
        code: 'unauthenticated',
        address: req.ip ?? '',
        via: 'rest',
      });
    return actor;
  };

  api.get('/halls/:hallId/snapshot', (req, res) => {
    const state = halls.state(req.params.hallId);
    if (!state) return sendError(res, 'unknown-hall', `No hall ${req.params.hallId}.`);
    const actor = callerOf(req, state.config);
    if (actor?.kind !== 'staff')
      return sendError(res, 'unauthenticated', 'Sign in as staff to see the whole hall.');
    // Why a manager switched an account or device off is the managers' (as on the sockets).
    const snapshot = staffSnapshot(state);
    res.json(managerOf(factsOf(state), actor) === null ? snapshot : withoutNotes(snapshot));
  });

  api.post('/halls/:hallId/tickets', async (req, res) => {
    const hallId = req.params.hallId;
    const c = hallConfig(hallId);
    if (!c) return sendError(res, 'unknown-hall', `No hall ${hallId}.`);
    const actor = callerOf(req, c);
    if (!actor) return sendError(res, 'unauthenticated', 'The credential is not valid.');
    // A kiosk on a flaky network retries with the same Idempotency-Key and gets the same ticket.
    // #12: without a credential, an address takes a few tickets, not a service's day of numbers.
    if (actor.kind === 'public') {
      const wait = await deps.publicIssue.take(`${hallId}:${req.ip ?? ''}`);
      if (wait > 0) {
        deps.logger.warn({ hallId, address: req.ip }, 'public ticket refused: address over its limit');
        res.set('retry-after', String(Math.ceil(wait / 1000)));
        return sendError(
          res,
          'rate-limited',
          `Too many tickets from this address: try again in ${Math.ceil(wait / 60_000)} min, or take one at the kiosk.`,
        );
      }
    }
    const key = idempotencyKey(req, actor);
    if (key === false)
      return sendError(
        res,
        'invalid-payload',
        'The Idempotency-Key header is not valid (8–64 letters, digits, . : - _).',
      );
    const r = await dispatch(halls, hallId, 'ticket:issue', req.body, actor, { ...through(req), key });
    if (!r.ok) return send(res, r);
    const state = halls.state(hallId)!;
    if (r.data.replayed) res.set('idempotent-replayed', 'true');
    send(res, { ok: true, data: ticketView(state, state.tickets.get(r.data.ticket!.id)!, clock.now()) }, 201);
  });

  const findTicket = (ticketId: string) => {
    for (const id of halls.hallIds()) {
      const state = halls.state(id)!;
      const t = state.tickets.get(ticketId);
      if (t) return { state, ticket: t };
    }
    return undefined;
  };

  api.get('/tickets/:ticketId', async (req, res) => {
    if (!(await publicRead(req, res))) return;
    const found = findTicket(req.params.ticketId);
    if (!found) return sendError(res, 'unknown-ticket', `No ticket ${req.params.ticketId}.`);
    res.json(ticketView(found.state, found.ticket, clock.now()));
  });

  // R34: the applicant rates the service on their phone; the ticket's id is the capability.
  api.post('/tickets/:ticketId/rating', async (req, res) => {
    if (!(await publicRead(req, res))) return;
    const found = findTicket(req.params.ticketId);
    if (!found) return sendError(res, 'unknown-ticket', `No ticket ${req.params.ticketId}.`);
    const body = RatingBody.safeParse(req.body ?? {});
    if (!body.success)
      return sendError(res, 'invalid-payload', `Invalid rating: ${describeIssues(body.error)}`);
    const hallId = found.state.config.id;
    const r = await dispatch(
      halls,
      hallId,
      'ticket:rate',
      { ...body.data, ticketId: req.params.ticketId },
      { kind: 'public' },
      through(req),
    );
    if (!r.ok) return send(res, r);
    const state = halls.state(hallId)!;
    res.json(ticketView(state, state.tickets.get(req.params.ticketId)!, clock.now()));
  });

  api.post('/tickets/:ticketId/cancel', async (req, res) => {
    if (!(await publicRead(req, res))) return;
    const found = findTicket(req.params.ticketId);
    if (!found) return sendError(res, 'unknown-ticket', `No ticket ${req.params.ticketId}.`);
    const hallId = found.state.config.id;
    const r = await dispatch(
      halls,
      hallId,
      'ticket:cancel',
      { ticketId: req.params.ticketId },
      { kind: 'public' },
      through(req),
    );
    if (!r.ok) return send(res, r);
    const state = halls.state(hallId)!;
    res.json(ticketView(state, state.tickets.get(req.params.ticketId)!, clock.now()));
  });

  const guard = deps.loginGuard;
  api.post('/auth/login', async (req, res) => {
    const body = LoginBody.safeParse(req.body);
    if (!body.success)
      return sendError(res, 'invalid-payload', `Invalid login: ${describeIssues(body.error)}`);
    const account = body.data.username;
    const address = req.ip ?? '';
    // Refused before any hashing: a locked account or a guessing address costs the hub nothing.
    const wait = await guard.retryAfter(account, address);
    if (wait > 0) {
      deps.logger.warn({ username: account, address }, 'login refused: locked or too many failures');
      res.set('retry-after', String(Math.ceil(wait / 1000)));
      return sendError(
        res,
        'rate-limited',
        `Too many failed sign-ins: try again in ${Math.ceil(wait / 1000)} s.`,
      );
    }
    let found = false;
    for (const id of halls.hallIds()) {
      const state = halls.state(id)!;
      const staff = state.config.staff.find((s) => s.username === body.data.username);
      if (!staff) continue;
      found = true;
      if (!(await verifyPassword(body.data.password, staff.passwordHash))) break;
      await guard.succeeded(account);
      // R8: the right password of a deactivated account opens nothing (and says so: it is theirs).
      const live = accountOf(state.config, state.accounts, staff.id)!;
      if (!live.active) {
        deps.audit.record({
          hallId: id,
          who: `staff:${staff.id}`,
          action: 'auth:login',
          outcome: 'refused',
          code: 'not-allowed',
          address,
          via: 'rest',
        });
        deps.logger.warn({ username: account, address }, 'login refused: account deactivated');
        return sendError(res, 'not-allowed', 'This account is deactivated: ask the hall’s manager.');
      }
      const session = tokens.startSession({ sub: staff.id, hall: id }, clock.now());
      deps.audit.record({
        hallId: id,
        who: `staff:${staff.id}`,
        action: 'auth:login',
        target: session.sessionId,
        outcome: 'done',
        address,
        via: 'rest',
      });
      const { sessionId: _sid, ...reply } = session;
      return res.json({
        ...reply,
        staff: { id: staff.id, name: staff.name, badge: staff.badge, roles: live.roles, hallId: id },
      });
    }
    // An unknown name costs the same hash as a wrong password, so timing does not tell which it was.
    const anyHash = halls.hallIds().flatMap((id) => hallConfig(id)!.staff)[0]?.passwordHash;
    if (!found && anyHash) await verifyPassword(body.data.password, anyHash);
    const locked = await guard.failed(account, address);
    // Under the account's hall, or the installation's first hall for a name nobody has.
    const home = halls.hallIds().find((id) => hallConfig(id)!.staff.some((s) => s.username === account));
    deps.audit.record({
      hallId: home ?? halls.hallIds()[0]!,
      who: `login:${account}`,
      action: 'auth:login',
      outcome: 'refused',
      code: 'unauthenticated',
      address,
      via: 'rest',
    });
    // Every failure is recorded (who tried which name, from where); the audit log of #12 takes this up.
    deps.logger.warn({ username: account, address, locked }, 'login refused');
    sendError(res, 'unauthenticated', 'Wrong username or password.');
  });

  /** A new access token for a session the hall still counts as live (R8: not for a revoked one). */
  api.post('/auth/refresh', (req, res) => {
    const body = RefreshBody.safeParse(req.body);
    if (!body.success)
      return sendError(res, 'invalid-payload', `Invalid refresh: ${describeIssues(body.error)}`);
    const claims = tokens.verify(body.data.refreshToken, clock.now(), 'refresh');
    const home = claims ? halls.state(claims.hall) : undefined;
    const actor = claims ? sessionActor(claims, home) : null;
    if (!claims || !home || !actor)
      return sendError(res, 'unauthenticated', 'The session has ended: sign in again.');
    const staff = home.config.staff.find((s) => s.id === actor.staffId)!;
    res.json({
      ...tokens.access(claims, clock.now()),
      refreshToken: body.data.refreshToken,
      refreshExpiresAt: claims.exp,
      staff: {
        id: staff.id,
        name: staff.name,
        badge: staff.badge,
        roles: actor.roles,
        hallId: claims.hall,
      },
    });
  });

  /** Sign-out: the session's tokens and its live sockets stop at once, on every node. */
  api.post('/auth/logout', async (req, res) => {
    const claims = tokens.verify(bearer(req) ?? '', clock.now());
    const home = claims ? halls.state(claims.hall) : undefined;
    const actor = claims ? sessionActor(claims, home) : null;
    if (!claims || !actor) return sendError(res, 'unauthenticated', 'No session to sign out of.');
    const r = await dispatch(halls, claims.hall, 'session:sign-out', req.body ?? {}, actor, through(req));
    if (!r.ok) return send(res, r);
    res.status(204).end();
  });

  api.post('/halls/:hallId/counters/:counterId/:action', async (req, res) => {
    const { hallId, counterId, action } = req.params;
    const c = hallConfig(hallId);
    if (!c) return sendError(res, 'unknown-hall', `No hall ${hallId}.`);
    if (!Object.hasOwn(COUNTER_ACTIONS, action))
      return sendError(
        res,
        'not-found',
        `No counter action ${action}; one of ${Object.keys(COUNTER_ACTIONS).join(', ')}.`,
      );
    const actor = callerOf(req, c);
    if (!actor || actor.kind === 'public')
      return sendError(res, 'unauthenticated', 'Sign in to work a counter.');
    // The counter is named by the path; a body naming one too is refused, not silently overridden.
    const body = counterActionBody(action as CounterAction).safeParse(req.body ?? {});
    if (!body.success)
      return sendError(res, 'invalid-payload', `Invalid ${action}: ${describeIssues(body.error)}`);
    const type = COUNTER_ACTIONS[action as CounterAction];
    const r = await dispatch(halls, hallId, type, { ...req.body, counterId }, actor, through(req));
    if (!r.ok) return send(res, r);
    // call-next and call answer with the called ticket itself, as a ticket dispenser answers with the issued one.
    if ((type === 'counter:call-next' || type === 'counter:call') && r.data.ticket) {
      const state = halls.state(hallId)!;
      return res.json({
        ...r.data.ticket,
        counterNumber: c.counters.find((x) => x.id === counterId)?.number,
        version: state.version,
      });
    }
    res.json(r.data);
  });

  /** A manager's hall command named by its path; the body is the rest of its payload, checked strictly. */
  async function staffCommand(
    req: Request,
    res: Response,
    type: CommandType,
    body: z.ZodType,
    fromPath: Record<string, string>,
  ) {
    const { hallId } = req.params as { hallId: string };
    const c = hallConfig(hallId);
    if (!c) return sendError(res, 'unknown-hall', `No hall ${hallId}.`);
    const actor = callerOf(req, c);
    if (!actor || actor.kind === 'public')
      return sendError(res, 'unauthenticated', 'Sign in as staff of this hall.');
    const parsed = body.safeParse(req.body ?? {});
    if (!parsed.success)
      return sendError(res, 'invalid-payload', `Invalid ${type}: ${describeIssues(parsed.error)}`);
    send(res, await dispatch(halls, hallId, type, { ...(req.body ?? {}), ...fromPath }, actor, through(req)));
  }

  /**
   * R5, R7, R26: attendance per staff member and day (sign-in, sign-out, late, early leave, absence,
   * leave) and the overtime ledger with the time off it earns; JSON, or CSV with Chinese headings.
   */
  api.get('/halls/:hallId/attendance', async (req, res) => {
    const { hallId } = req.params;
    const c = hallConfig(hallId);
    if (!c) return sendError(res, 'unknown-hall', `No hall ${hallId}.`);
    const actor = callerOf(req, c);
    if (actor?.kind !== 'staff') return sendError(res, 'unauthenticated', 'Sign in as a manager.');
    if (!isManager(actor)) return sendError(res, 'not-allowed', 'Attendance is for hall managers.');
    const today = localDay(clock.now(), c.timeZone);
    const q = AttendanceQuery.safeParse({ from: today, to: today, format: 'json', ...req.query });
    if (!q.success) return sendError(res, 'invalid-payload', `Invalid query: ${describeIssues(q.error)}`);
    const { from, to, format } = q.data;
    if (from > to) return sendError(res, 'invalid-payload', 'The range ends before it starts.');
    const days = await attendanceBetween(deps.history, halls.state(hallId)!, from, to);
    const owed = timeOffOwed(days, c.rules.overtimeDayMinutes);
    if (format === 'json') return res.json({ from, to, days, timeOff: owed });
    const csv = stringify(attendanceRows(c, days), { header: true, columns: [...ATTENDANCE_HEADINGS] });
    res
      .type('text/csv; charset=utf-8')
      .set('content-disposition', `attachment; filename="attendance-${hallId}-${from}-${to}.csv"`)
      // A byte-order mark, so spreadsheet programs read the Chinese headings as UTF-8.
      .send(`\ufeff${csv}`);
  });

  /** #12: the hall's audit log, searched and exported by its managers and the admins. */
  api.get('/halls/:hallId/audit', async (req, res) => {
    const { hallId } = req.params;
    const c = hallConfig(hallId);
    if (!c) return sendError(res, 'unknown-hall', `No hall ${hallId}.`);
    const actor = callerOf(req, c);
    if (actor?.kind !== 'staff') return sendError(res, 'unauthenticated', 'Sign in as a manager.');
    const refused = managerOf(factsOf(halls.state(hallId)!), actor);
    if (refused) return sendError(res, refused.code, 'The audit log is for the hall’s managers.');
    const today = localDay(clock.now(), c.timeZone);
    const q = AuditQuery.safeParse({ from: today, to: today, format: 'json', ...req.query });
    if (!q.success) return sendError(res, 'invalid-payload', `Invalid query: ${describeIssues(q.error)}`);
    if (q.data.from > q.data.to) return sendError(res, 'invalid-payload', 'The range ends before it starts.');
    const range = dayRange(q.data.from, q.data.to, c.timeZone);
    const entries = (await deps.audit.read(hallId, range.from, range.to)).filter((e) =>
      auditMatches(e, q.data),
    );
    if (q.data.format === 'json') return res.json({ from: q.data.from, to: q.data.to, entries });
    const at = (t: number) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: c.timeZone,
        dateStyle: 'short',
        timeStyle: 'medium',
      }).format(t);
    const csv = stringify(
      entries.map((e) => [
        at(e.at),
        e.who,
        e.action,
        e.target ?? '',
        e.detail ?? '',
        e.outcome === 'done' ? '完成' : '拒绝',
        e.code ?? '',
        e.address,
        e.via,
      ]),
      {
        header: true,
        columns: ['时间', '操作人', '操作', '对象', '说明', '结果', '原因', '来源地址', '途径'],
      },
    );
    res
      .type('text/csv; charset=utf-8')
      .set('content-disposition', `attachment; filename="audit-${hallId}-${q.data.from}-${q.data.to}.csv"`)
      .send(`\ufeff${csv}`);
  });

  api.post('/halls/:hallId/emergency', (req, res) =>
    staffCommand(req, res, 'hall:declare-emergency', DeclareEmergencyBody, {}),
  );
  api.post('/halls/:hallId/emergency/:emergencyId/all-clear', (req, res) =>
    staffCommand(req, res, 'hall:all-clear', z.object({}).strict(), {
      emergencyId: req.params.emergencyId,
    }),
  );
  // #13: a complaint or a “办不成事” problem becomes a case (R14, R33).
  api.post('/halls/:hallId/cases', (req, res) => staffCommand(req, res, 'case:open', OpenCaseBody, {}));
  // Alerts, accounts and devices (R8), a ticket's applicant (R9), cases (R14, R36):
  // `/halls/{hallId}/{segment}/{id}/{action}`.
  for (const p of STAFF_PATH_ACTIONS)
    api.post(`/halls/:hallId/${p.segment}/:${p.id}/:action`, (req, res) => {
      const action = req.params.action;
      if (!Object.hasOwn(p.commands, action))
        return sendError(
          res,
          'not-found',
          `No ${p.name} action ${action}; one of ${Object.keys(p.commands).join(', ')}.`,
        );
      return staffCommand(req, res, p.commands[action]!, pathActionBody(p, action), {
        [p.id]: req.params[p.id] as string,
      });
    });

  // #14: reports over the history store.
  if (deps.history)
    reportRoutes(api, { halls, history: deps.history, now: () => clock.now(), callerOf, sendError });
  api.use((_req, res) => sendError(res, 'not-found', 'No such route.'));
  router.use('/api/v1', api);

  return router;
}

/** `/metrics`: the configured bearer token, or, when none is set, a request from the hub's own machine. */
function metricsAllowed(req: Request, token: string | undefined): boolean {
  if (token) {
    const given = Buffer.from(bearer(req) ?? '');
    const want = Buffer.from(token);
    return given.length === want.length && timingSafeEqual(given, want);
  }
  const from = req.socket.remoteAddress ?? '';
  return from === '127.0.0.1' || from === '::1' || from === '::ffff:127.0.0.1';
}
