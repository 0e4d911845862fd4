import { z } from 'zod';
import {
  STAFF_PATH_ACTIONS,
  OpenCaseBody,
  pathActionBody,
  AuditEntry,
  CommandPayloads,
  RefreshBody,
  COUNTER_ACTIONS,
  DeclareEmergencyBody,
  CommandReply,
  counterActionBody,
  ErrorBody,
  HallDescription,
  HallSummary,
  IssueTicketBody,
  LoginBody,
  RatingBody,
  LoginReply,
  PROTOCOL_VERSION,
  PublicSnapshot,
  StaffSnapshot,
  Ticket,
  TicketView,
  ReportQuery,
  ReportTicketsQuery,
  CityReportQuery,
  type CounterAction,
} from '@yichuang/protocol';

const schema = (s: z.ZodType, io: 'input' | 'output' = 'output') =>
  z.toJSONSchema(s, { io, unrepresentable: 'any' });
const json = (s: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema: schema(s) } },
});
const error = (description: string) =>
  json(z.object({ ok: z.literal(false), error: ErrorBody }), description);
const body = (s: z.ZodType, required = true) => ({
  required,
  content: { 'application/json': { schema: schema(s, 'input') } },
});
const bearer = [{ bearer: [] }];
/** A query's fields as OpenAPI parameters (all optional in the query string). */
const queryOf = (s: z.ZodObject) =>
  Object.keys(s.shape).map((name) => ({ name, in: 'query', required: false, schema: { type: 'string' } }));

let cached: object | null = null;

/** The OpenAPI 3.1 document of the REST API, generated from the protocol's zod schemas. */
export function openApiDocument(): object {
  if (cached) return cached;
  const counterActions = Object.fromEntries(
    (Object.keys(COUNTER_ACTIONS) as CounterAction[]).map((action) => {
      const calls = action === 'call-next' || action === 'call';
      return [
        `/halls/{hallId}/counters/{counterId}/${action}`,
        {
          post: {
            operationId: `counter-${action}`,
            summary: `Counter action ${COUNTER_ACTIONS[action]}`,
            security: bearer,
            parameters: [
              { name: 'hallId', in: 'path', required: true, schema: { type: 'string' } },
              { name: 'counterId', in: 'path', required: true, schema: { type: 'string' } },
            ],
            requestBody: body(counterActionBody(action), false),
            responses: {
              200: calls
                ? json(Ticket.extend({ counterNumber: z.number(), version: z.number() }), 'The called ticket')
                : json(CommandReply, 'Applied'),
              400: error('Invalid body'),
              401: error('Not signed in'),
              403: error('Not your counter'),
              404: error('Unknown hall, counter or ticket'),
              409: error('Not possible in the current state (counter closed, busy, queue empty…)'),
            },
          },
        },
      ];
    }),
  );
  const path = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
  const staffActionResponses = {
    200: json(CommandReply, 'Applied'),
    400: error('Invalid body'),
    401: error('Not signed in'),
    403: error('Not allowed to this caller in this hall'),
    404: error('Unknown hall or alert'),
    409: error('Not possible now (resolved, acknowledged, not in force…)'),
  };
  // Alerts, accounts and devices (R8), a ticket's applicant (R9): staff commands named by their path.
  const staffActions = Object.fromEntries(
    STAFF_PATH_ACTIONS.flatMap((p) =>
      Object.entries(p.commands).map(([action, type]) => {
        const requestBody = pathActionBody(p, action);
        return [
          `/halls/{hallId}/${p.segment}/{${p.id}}/${action}`,
          {
            post: {
              operationId: `${p.name}-${action}`,
              summary: `${p.name} action ${type} (${p.who})`,
              security: bearer,
              parameters: [path('hallId'), path(p.id)],
              // Required when the command has a field without a default (an assignee, the new roles).
              requestBody: body(requestBody, !requestBody.safeParse({}).success),
              responses: staffActionResponses,
            },
          },
        ];
      }),
    ),
  );
  cached = {
    openapi: '3.1.0',
    info: { title: 'Yichuang hall API', version: PROTOCOL_VERSION },
    servers: [{ url: '/api/v1' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths: {
      ...staffActions,
      '/halls/{hallId}/cases': {
        post: {
          operationId: 'open-case',
          summary:
            'R14, R33: record a “办不成事” problem or a complaint as a follow-up case (staff of the hall)',
          security: bearer,
          parameters: [path('hallId')],
          requestBody: body(OpenCaseBody),
          responses: { ...staffActionResponses, 200: json(CommandReply, 'The case, opened') },
        },
      },
      '/halls/{hallId}/emergency': {
        post: {
          operationId: 'declare-emergency',
          summary: 'R38: broadcast an emergency to every screen and device of the hall (managers)',
          security: bearer,
          parameters: [path('hallId')],
          requestBody: body(DeclareEmergencyBody),
          responses: staffActionResponses,
        },
      },
      '/halls/{hallId}/emergency/{emergencyId}/all-clear': {
        post: {
          operationId: 'all-clear',
          summary: 'End the emergency in force (managers)',
          security: bearer,
          parameters: [path('hallId'), path('emergencyId')],
          responses: staffActionResponses,
        },
      },
      '/halls': {
        get: { operationId: 'list-halls', responses: { 200: json(z.array(HallSummary), 'The halls') } },
      },
      '/halls/{hallId}': {
        get: {
          operationId: 'describe-hall',
          parameters: [{ name: 'hallId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json(HallDescription, 'Services and counters'), 404: error('Unknown hall') },
        },
      },
      '/halls/{hallId}/public': {
        get: {
          operationId: 'public-snapshot',
          parameters: [{ name: 'hallId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json(PublicSnapshot, 'What a public screen shows'), 404: error('Unknown hall') },
        },
      },
      '/halls/{hallId}/snapshot': {
        get: {
          operationId: 'staff-snapshot',
          security: bearer,
          parameters: [{ name: 'hallId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json(StaffSnapshot, 'The whole hall'), 401: error('Not signed in') },
        },
      },
      '/halls/{hallId}/tickets': {
        post: {
          operationId: 'issue-ticket',
          parameters: [{ name: 'hallId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(IssueTicketBody),
          responses: {
            201: json(TicketView, 'The issued ticket'),
            400: error('Invalid body'),
            404: error('Unknown hall or service'),
          },
        },
      },
      '/tickets/{ticketId}': {
        get: {
          operationId: 'get-ticket',
          parameters: [{ name: 'ticketId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json(TicketView, 'Status and position'), 404: error('Unknown ticket') },
        },
      },
      '/tickets/{ticketId}/cancel': {
        post: {
          operationId: 'cancel-ticket',
          parameters: [{ name: 'ticketId', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { 200: json(TicketView, 'Cancelled'), 409: error('Already called or finished') },
        },
      },
      '/tickets/{ticketId}/rating': {
        post: {
          operationId: 'rate-ticket',
          summary: 'The applicant rates the service on their phone, within the rating window (R34)',
          parameters: [{ name: 'ticketId', in: 'path', required: true, schema: { type: 'string' } }],
          requestBody: body(RatingBody),
          responses: {
            200: json(TicketView, 'Rated'),
            409: error('Not completed, already rated, or the time to rate is over'),
          },
        },
      },
      '/auth/login': {
        post: {
          operationId: 'login',
          requestBody: body(LoginBody),
          responses: { 200: json(LoginReply, 'Signed in'), 401: error('Wrong username or password') },
        },
      },
      '/auth/refresh': {
        post: {
          operationId: 'refresh',
          summary: 'A new access token (15 minutes) for a session the hall still counts as live',
          requestBody: body(RefreshBody),
          responses: { 200: json(LoginReply, 'Renewed'), 401: error('The session has ended') },
        },
      },
      '/auth/logout': {
        post: {
          operationId: 'logout',
          summary:
            'Ends this session (or, with everywhere: true, every session of the account) and its sockets',
          security: bearer,
          requestBody: body(CommandPayloads['session:sign-out'], false),
          responses: { 204: { description: 'Signed out' }, 401: error('No live session') },
        },
      },
      '/halls/{hallId}/audit': {
        get: {
          operationId: 'audit-log',
          summary: 'The audit log (#12): JSON or CSV, by local day range, who, action and outcome (managers)',
          security: bearer,
          parameters: [
            path('hallId'),
            ...['from', 'to', 'who', 'action', 'outcome', 'format'].map((name) => ({
              name,
              in: 'query',
              required: false,
              schema: { type: 'string' },
            })),
          ],
          responses: {
            200: json(
              z.object({ from: z.string(), to: z.string(), entries: z.array(AuditEntry) }),
              'Entries',
            ),
            401: error('Not signed in'),
            403: error('Not a manager of this hall'),
          },
        },
      },
      '/halls/{hallId}/reports': {
        get: {
          operationId: 'report',
          summary:
            'A report over archived days (#14, R5, R33): grouped by day, week, month, hour, service, counter or staff member; JSON, CSV or XLSX (managers)',
          security: bearer,
          parameters: [path('hallId'), ...queryOf(ReportQuery)],
          responses: {
            200: {
              description:
                'The rows and their total: volumes, wait and handling p50/p90/max in minutes, share within target, outcomes, transfers, ratings',
              content: {
                'application/json': { schema: { type: 'object' } },
                'text/csv': { schema: { type: 'string' } },
                'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
                  schema: { type: 'string', format: 'binary' },
                },
              },
            },
            400: error('Invalid query'),
            401: error('Not signed in'),
            403: error('Not a manager of this hall'),
          },
        },
      },
      '/halls/{hallId}/reports/tickets': {
        get: {
          operationId: 'report-tickets',
          summary: 'The archived tickets of one day (#14): the drill-down from a report (managers)',
          security: bearer,
          parameters: [path('hallId'), ...queryOf(ReportTicketsQuery)],
          responses: {
            200: { description: 'The day’s tickets as the history keeps them' },
            400: error('Invalid query'),
            401: error('Not signed in'),
            403: error('Not a manager of this hall'),
          },
        },
      },
      '/reports/halls': {
        get: {
          operationId: 'city-report',
          summary: 'The city view (#14): each hall’s figures per month (city managers and admins)',
          security: bearer,
          parameters: queryOf(CityReportQuery),
          responses: {
            200: {
              description: 'Per hall and month: volumes, mean and longest wait, share within target, ratings',
            },
            401: error('Not signed in'),
            403: error('Not a city manager'),
          },
        },
      },
      ...counterActions,
    },
  };
  return cached;
}
