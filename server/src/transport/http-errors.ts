import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { fail } from '@yichuang/protocol';
import { HTTP_STATUS } from './http-status.js';

type HttpError = Error & { status?: number; statusCode?: number; type?: string };

/**
 * The last handler of every HTTP route, the API's and the apps' alike: a request the hub cannot
 * read (malformed JSON, a body too large, a path whose percent-encoding does not decode) is the
 * caller's error and answers 400 with the usual JSON error, never a stack; only a failure of the
 * hub itself is logged as an error and answers 500.
 */
export function httpErrorHandler(logger: Logger) {
  return (err: HttpError, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const status = err.status ?? err.statusCode ?? 500;
    const reply = (code: 'invalid-payload' | 'not-found' | 'internal-error', message: string) =>
      res.status(HTTP_STATUS[code]).json(fail(code, message));
    if (err.type === 'entity.parse.failed') return reply('invalid-payload', 'The body is not valid JSON.');
    if (err.type === 'entity.too.large') return reply('invalid-payload', 'The body is too large.');
    if (err instanceof URIError || (status === 400 && /decode/i.test(err.message)))
      return reply('invalid-payload', 'The path is not valid: a percent-encoding in it does not decode.');
    if (status === 404) return reply('not-found', 'No such page.');
    if (status >= 400 && status < 500) {
      logger.debug({ status, path: req.path, reason: err.message }, 'request refused');
      return res.status(status).json(fail('invalid-payload', 'The request is not valid.'));
    }
    logger.error({ err, method: req.method, path: req.path }, 'request failed');
    reply('internal-error', 'The hub failed on this request.');
  };
}

/** The first handler of every HTTP route: a path that does not percent-decode is refused at the door. */
export function rejectMalformedPaths(req: Request, _res: Response, next: NextFunction) {
  try {
    decodeURIComponent(req.path);
  } catch (err) {
    return next(err);
  }
  next();
}
