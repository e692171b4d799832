/**
 * `GET /api/reports?unit=50&withChildren=true&format=province&fiscalYear=2569` (or `month=YYYY-MM`,
 * or `from=YYYY-MM-DD&to=YYYY-MM-DD`) → the report JSON. The caller is a Principal (an officer of the
 * dashboard, a partner's API key, or a LINE ID token of a linked officer), found by the injected
 * `authenticate`; it may read its own unit and the units under it, the ministry everything.
 * `format=csv|xlsx` on `output` gives the same table as a file.
 */
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { mayRead, type Principal } from '../auth/principal.ts';
import type { Models } from '../models/index.ts';
import { HttpError } from '../http/errors.ts';
import { buildReport, UnknownUnitError } from './build.ts';
import { parsePeriod, ReportInputError, wholeMonths } from './period.ts';
import { reportFileName, toCsv, toXlsx } from './render.ts';

export type Authenticate = (req: Request) => Promise<Principal | null>;

export interface ReportsRouterDeps {
  models: Models;
  authenticate: Authenticate;
  /**
   * The partner API's per-key budget (exchange): called for API-key callers with the request's cost;
   * resolves to the seconds to wait when the budget is spent, else undefined. Absent: no limit.
   */
  spendPartnerBudget?: (apiKeyId: string, cost: number) => Promise<number | undefined>;
}

/** A report reads counters of a whole scope: weighted like filing a case on the partner API. */
export const REPORT_COST = 10;

const query = z.strictObject({
  unit: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'unit: รหัสหน่วยงานไม่ถูกต้อง / bad unit code').optional(),
  withChildren: z.enum(['true', 'false', '1', '0']).optional(),
  format: z.enum(['province', 'district'], { error: 'format: ต้องเป็น province หรือ district / must be province or district' }),
  fiscalYear: z.string().max(10).optional(),
  month: z.string().max(10).optional(),
  from: z.string().max(12).optional(),
  to: z.string().max(12).optional(),
  output: z.enum(['json', 'csv', 'xlsx'], { error: 'output: json, csv หรือ xlsx / json, csv or xlsx' }).optional(),
  thaiDigits: z.enum(['true', 'false', '1', '0']).optional(),
});

function bad(res: Response, message: string) {
  res.status(400).json({ error: 'bad_request', message });
}

export function createReportsRouter(deps: ReportsRouterDeps): Router {
  const router = Router();
  router.get('/', async (req, res, next) => {
    try {
      const principal = await deps.authenticate(req);
      if (!principal) return void res.status(401).json({ error: 'unauthorized', message: 'ต้องเข้าสู่ระบบ / sign-in required' });
      if (principal.kind === 'partner' && deps.spendPartnerBudget) {
        const wait = await deps.spendPartnerBudget(principal.apiKeyId, REPORT_COST);
        if (wait !== undefined) {
          res.setHeader('Retry-After', String(wait));
          return void res.status(429).json({ error: 'rate_limited', message: `ส่งคำขอถี่เกินไป กรุณารอ ${wait} วินาที / too many requests for this API key; retry in ${wait} s` });
        }
      }
      // Every parameter must be a single plain string: `unit[$gt]=` and repeated keys are refused.
      const raw = req.query as Record<string, unknown>;
      if (Object.values(raw).some((v) => typeof v !== 'string')) return bad(res, 'พารามิเตอร์ต้องเป็นข้อความเดียว / each parameter must be given once, as plain text');
      const parsed = query.safeParse(raw);
      if (!parsed.success) {
        const i = parsed.error.issues[0]!;
        const msg = i.code === 'unrecognized_keys' ? `ไม่รู้จักพารามิเตอร์ / unknown parameter: ${(i as { keys: string[] }).keys.join(', ').slice(0, 60)}` : i.message;
        return bad(res, msg);
      }
      const q = parsed.data;
      let period;
      try {
        period = parsePeriod({ fiscalYear: q.fiscalYear, month: q.month, from: q.from, to: q.to });
      } catch (err) {
        if (err instanceof ReportInputError) return bad(res, err.message);
        throw err;
      }
      // Counters are kept per month; a range cut mid-month would mean reading every case of the scope.
      if (!wholeMonths(period)) {
        return bad(res, 'ช่วงวันที่ต้องเริ่มวันที่ 1 และจบวันสุดท้ายของเดือน / from must be the 1st and to the last day of a month (reports are counted by whole months)');
      }
      const unitCode = q.unit ?? principal.unitCode;
      const withChildren = q.withChildren === 'true' || q.withChildren === '1';
      if (!(await mayRead(deps.models, principal, unitCode))) {
        return void res.status(403).json({ error: 'forbidden', message: 'ดูรายงานได้เฉพาะหน่วยงานของท่านและหน่วยงานในสังกัด / you may read reports of your unit and the units under it only' });
      }
      const report = await buildReport(deps, { unitCode, withChildren, format: q.format, period });
      if (q.output === 'csv') {
        res.type('text/csv; charset=utf-8').attachment(`${reportFileName(report)}.csv`);
        return void res.send(toCsv(report, { thaiDigits: q.thaiDigits === 'true' || q.thaiDigits === '1' }));
      }
      if (q.output === 'xlsx') {
        res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').attachment(`${reportFileName(report)}.xlsx`);
        return void res.send(await toXlsx(report, { thaiDigits: q.thaiDigits === 'true' || q.thaiDigits === '1' }));
      }
      res.json(report);
    } catch (err) {
      if (err instanceof ReportInputError) return bad(res, err.message);
      if (err instanceof UnknownUnitError) return void res.status(404).json({ error: 'not_found', message: err.message });
      // LINE's verify endpoint busy (liff/api/auth.ts): the caller should retry, not sign in again.
      if (err instanceof HttpError && err.status === 503) {
        res.setHeader('Retry-After', String(err.retryAfterSec ?? 5));
        return void res.status(503).json({ error: 'unavailable', message: `${err.th} / ${err.en}` });
      }
      next(err);
    }
  });
  return router;
}

/**
 * A way in for scripts and the LIFF officer pages: `Authorization: Bearer <LINE ID token>` of a linked,
 * active officer. `verify` is the LIFF API's token verifier (LINE's verify endpoint, cached briefly).
 */
export function lineIdTokenAuthenticator(models: Models, verify: (token: string) => Promise<{ userId: string } | null>): Authenticate {
  return async (req) => {
    const m = /^Bearer[ ]+(\S+)\s*$/i.exec(req.get('authorization') ?? '');
    if (!m) return null;
    const user = await verify(m[1]!);
    if (!user) return null;
    const o = await models.Officer.findOne({ lineUserId: user.userId, active: true }).lean();
    if (!o) return null;
    return { kind: 'officer', officerId: String(o._id), lineUserId: o.lineUserId, name: o.name ?? '', unitCode: o.unitCode, role: o.role };
  };
}

/** Tries each authenticator in turn (dashboard session, API key, LINE ID token): the first that knows the caller wins. */
export function anyOf(...auths: Authenticate[]): Authenticate {
  return async (req) => {
    for (const a of auths) {
      const p = await a(req);
      if (p) return p;
    }
    return null;
  };
}
