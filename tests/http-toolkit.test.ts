/**
 * The HTTP toolkit the LIFF and partner APIs are built on (shared/http/), on a real express app over
 * real HTTP: a route declared once validates, answers, maps a command's refusal to the status and
 * Thai/English message a caller sees, and appears in the OpenAPI document as declared.
 */
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { conflict, errorBody, HttpError, httpErrorHandler, notFound } from '../shared/http/errors.ts';
import { sendJson } from '../shared/http/json.ts';
import { openApiPaths, RouteRegistry, type AnyObject, type BaseRouteSpec, type Handler } from '../shared/http/registry.ts';
import { orThrow } from '../shared/http/result.ts';
import type { Logger } from '../shared/logger.ts';

type Vote = { ok: true; tally: number } | { ok: false; reason: 'not_found' | 'closed' | 'voted'; by?: string };

/** A stand-in domain command: the poll `p1` is open, `p2` closed; voter `ann` has voted already. */
async function castVote(pollId: string, voter: string): Promise<Vote> {
  if (pollId !== 'p1' && pollId !== 'p2') return { ok: false, reason: 'not_found' };
  if (pollId === 'p2') return { ok: false, reason: 'closed' };
  if (voter === 'ann') return { ok: false, reason: 'voted', by: 'ann' };
  return { ok: true, tally: 7 };
}

const logged: string[] = [];
const log = { error: (_o: unknown, msg: string) => void logged.push(msg) } as unknown as Logger;

const IdParams = z.object({ id: z.string().regex(/^p\d$/) });
const VoteBody = z.object({ voter: z.string().min(1).max(20) }).strict();

class PollRoutes extends RouteRegistry<BaseRouteSpec, { caller: string }> {
  add<P extends AnyObject, Q extends AnyObject, B extends z.ZodType>(spec: BaseRouteSpec<P, Q, B>, handler: Handler<{ caller: string }, z.output<P>, z.output<Q>, z.output<B>>): void {
    this.mount<P, Q, B>(spec as unknown as BaseRouteSpec, handler);
  }
}

const routes = new PollRoutes({
  before: (spec) => (spec.body ? [express.json({ limit: '1kb' })] : []),
  context: (req) => {
    if (req.headers['x-caller'] !== 'tester') throw new HttpError(401, 'กรุณาเข้าสู่ระบบ', 'Please sign in.');
    return { caller: 'tester' };
  },
  notFound,
  invalid: (issues) => new HttpError(400, 'ข้อมูลไม่ถูกต้อง', 'Some fields are not valid.', { fields: issues.map((i) => i.path.join('.') || 'body') }),
});

routes.add({
  operationId: 'vote', method: 'post', path: '/polls/:id/votes', summary: 'Vote', tags: ['polls'],
  params: IdParams, body: VoteBody, errors: [409], success: { status: 201, description: 'Counted' },
}, async ({ params, body, caller }) => {
  const r = orThrow(await castVote(params.id, body.voter), {
    not_found: notFound,
    closed: () => conflict('การลงคะแนนปิดแล้ว', 'Voting has closed.'),
    voted: (f) => conflict(`${f.by} ลงคะแนนไปแล้ว`, `${f.by} has already voted.`),
  });
  return { tally: r.tally, caller };
});
routes.add({ operationId: 'boom', method: 'get', path: '/boom', summary: 'Fails', tags: ['polls'], success: { status: 200, description: 'Never' } },
  async () => { throw new Error('a bug'); });

let server: Server;
let base: string;
beforeAll(async () => {
  const app = express();
  app.use(routes.router);
  app.use(httpErrorHandler(log, 'polls', {
    tooLarge: () => new HttpError(413, 'ใหญ่เกินไป', 'Too large.'),
    unsupportedMedia: () => new HttpError(415, 'ไม่รองรับ', 'Unsupported.'),
    badJson: () => new HttpError(400, 'ไม่ใช่ JSON', 'Not JSON.'),
    badRequest: () => new HttpError(400, 'คำขอไม่ถูกต้อง', 'Bad request.'),
    internal: () => new HttpError(500, 'ระบบขัดข้อง', 'Something went wrong.'),
  }, (_req, res, err) => sendJson(res, err.status, errorBody(err))));
  await new Promise<void>((resolve) => { server = app.listen(0, '127.0.0.1', () => resolve()); });
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(async () => { await new Promise<void>((r) => server.close(() => r())); });

async function post(path: string, body: string, caller = 'tester') {
  const res = await fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-caller': caller }, body });
  return { status: res.status, json: await res.json() as any };
}

describe('the route registry', () => {
  it('answers a valid request with the success status and what the handler returned', async () => {
    expect(await post('/polls/p1/votes', '{"voter":"bob"}')).toEqual({ status: 201, json: { tally: 7, caller: 'tester' } });
  });

  it('refuses a caller the API does not know before reading anything else', async () => {
    const r = await post('/polls/nope/votes', '{}', 'stranger');
    expect(r.status).toBe(401);
    expect(r.json.error).toEqual({ code: 'unauthorized', message: { th: 'กรุณาเข้าสู่ระบบ', en: 'Please sign in.' } });
  });

  it('answers 404 for an id that cannot exist, 400 naming the fields of a bad body, 400 for a body that is not JSON', async () => {
    expect((await post('/polls/nope/votes', '{"voter":"bob"}')).json.error.code).toBe('not_found');
    const bad = await post('/polls/p1/votes', '{"voter":"","extra":1}');
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'validation_failed', message: { th: 'ข้อมูลไม่ถูกต้อง', en: 'Some fields are not valid.' } });
    expect(bad.json.error.fields).toEqual(expect.arrayContaining(['voter', 'body']));
    const notJson = await post('/polls/p1/votes', '{"voter":');
    expect(notJson).toEqual({ status: 400, json: { error: { code: 'validation_failed', message: { th: 'ไม่ใช่ JSON', en: 'Not JSON.' } } } });
  });

  it('turns each refusal of the command into the mapped status and message, in Thai and English', async () => {
    expect((await post('/polls/p3/votes', '{"voter":"bob"}'))).toMatchObject({ status: 404, json: { error: { code: 'not_found', message: { th: 'ไม่พบข้อมูลนี้' } } } });
    expect((await post('/polls/p2/votes', '{"voter":"bob"}'))).toEqual({ status: 409, json: { error: { code: 'conflict', message: { th: 'การลงคะแนนปิดแล้ว', en: 'Voting has closed.' } } } });
    expect((await post('/polls/p1/votes', '{"voter":"ann"}')).json.error.message).toEqual({ th: 'ann ลงคะแนนไปแล้ว', en: 'ann has already voted.' });
  });

  it('answers a bug with a plain 500 and logs it', async () => {
    const res = await fetch(`${base}/boom`, { headers: { 'x-caller': 'tester' } });
    expect(res.status).toBe(500);
    expect((await res.json() as any).error.message.en).toBe('Something went wrong.');
    expect(logged).toContain('polls: unhandled error');
  });

  it('describes each route once, from the same declaration: path, parameters, body and every status', () => {
    const paths = openApiPaths(routes.specs, {
      basePath: '/api',
      impliedStatuses: (s) => [401, ...(s.params ? [404] : []), ...(s.body ? [400] : [])],
      successResponses: (s) => ({ [String(s.success.status)]: { description: s.success.description } }),
      errorResponse: (st) => ({ description: `error ${st}` }),
      security: () => [{ caller: [] }],
      requestBody: (s) => (s.body ? { required: true } : undefined),
    });
    const vote = paths['/api/polls/{id}/votes'].post as any;
    expect(vote.operationId).toBe('vote');
    expect(Object.keys(vote.responses).sort()).toEqual(['201', '400', '401', '404', '409']);
    expect(vote.parameters).toEqual([expect.objectContaining({ name: 'id', in: 'path', required: true })]);
    expect(vote.requestBody).toEqual({ required: true });
    expect((paths['/api/boom'].get as any).requestBody).toBeUndefined();
  });
});
