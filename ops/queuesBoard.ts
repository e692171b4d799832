/**
 * /admin/queues: the bull-board dashboard over every queue, for admins only: an officer with the
 * `admin` role signed in to the dashboard (LINE Login session, dashboard/auth.ts), or — for
 * operators and scripts — HTTP Basic against ADMIN_USER / ADMIN_PASSWORD when both are set.
 *
 * Read-write only for a dashboard admin (a named officer, so the action is someone's); Basic sign-in
 * sees a read-only board. The intake queues (`line-events-*`) are read-only for everyone: a job added
 * or retried there is processed as a message from a LINE user, without LINE's webhook signature.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { sameSecret } from './metrics.ts';
import { securityHeaders } from '../shared/http/securityHeaders.ts';

export const QUEUES_BOARD_PATH = '/admin/queues';

export interface QueuesBoardDeps {
  queues: Queue[];
  adminUser: string;
  adminPassword: string;
  /** Is the caller an admin by another sign-in (the dashboard session)? Tried before Basic auth. */
  authorize?: (req: Request) => Promise<boolean>;
}

/** Queues whose jobs act as a LINE user: never written through the board. */
export const isIntakeQueue = (name: string): boolean => name.startsWith('line-events-');

/**
 * What the board's own page loads: its scripts and stylesheet from the board's path, inline style
 * attributes of its React UI, Google Fonts' stylesheet and fonts.
 */
const BOARD_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline' https://fonts.googleapis.com; font-src 'self' data: https://fonts.gstatic.com; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

const READ_ONLY = 'The queue dashboard is read-only here: intake queues can never be changed, and other queues only by an admin signed in to /dashboard (อ่านอย่างเดียว)\n';

function basicAdmin(user: string, password: string): RequestHandler {
  return (req, res, next) => {
    const m = /^basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.get('authorization') ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    // Both compared, always: which half was wrong must not show in the timing.
    const okUser = sameSecret(sep >= 0 ? decoded.slice(0, sep) : '', user);
    const okPassword = sameSecret(sep >= 0 ? decoded.slice(sep + 1) : '', password);
    if (okUser && okPassword) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="rongrian-admin", charset="UTF-8"');
    res.status(401).type('text/plain').send(ADMINS_ONLY);
  };
}

const ADMINS_ONLY = 'Admins only: sign in at /dashboard with an admin account (เฉพาะผู้ดูแลระบบ: เข้าสู่ระบบที่ /dashboard ด้วยบัญชีผู้ดูแล)\n';

/**
 * What the board shows of a job's data. LINE events carry what people typed and their LINE ids, and
 * partner deliveries carry complaint text: an admin looking at queue health sees their shape, not
 * their content (reading personal data belongs to the audited officer views).
 */
function adapterFor(q: Queue, writable: boolean): BullMQAdapter {
  const a = new BullMQAdapter(q, { readOnlyMode: !writable || isIntakeQueue(q.name) });
  if (isIntakeQueue(q.name)) {
    a.setFormatter('data', (d: { destination?: string; event?: { type?: string; webhookEventId?: string; timestamp?: number; source?: { type?: string }; message?: { type?: string } } }) => ({
      event: { type: d?.event?.type, webhookEventId: d?.event?.webhookEventId, timestamp: d?.event?.timestamp, source: d?.event?.source?.type, message: d?.event?.message?.type },
      note: 'content hidden (ซ่อนเนื้อหา: ข้อมูลส่วนบุคคล)',
    }));
  } else if (q.name === 'dead-letters') {
    // Already content-free (reason, attempts, event and source type): shown as is.
    a.setFormatter('name', (job: { data?: { summary?: string; kind?: string } }) => `${job.data?.kind ?? 'dead letter'}: ${job.data?.summary ?? ''}`);
  } else if (q.name === 'partner-webhooks') {
    a.setFormatter('data', (d: { subscriptionId?: string; eventId?: string; type?: string; body?: string }) => ({
      subscriptionId: d?.subscriptionId, eventId: d?.eventId, type: d?.type, bodyBytes: d?.body ? Buffer.byteLength(d.body) : 0,
    }));
  }
  return a;
}

/** One bull-board over the queues, every queue read-only unless `writable` (intake queues always read-only). */
function board(queues: Queue[], writable: boolean): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({ queues: queues.map((q) => adapterFor(q, writable)), serverAdapter, options: { uiConfig: { boardTitle: 'Rongrian queues' } } });
  const app = serverAdapter.getRouter() as express.Express;
  app.disable('x-powered-by');
  return app;
}

export function queuesBoard(deps: QueuesBoardDeps): Router {
  const readOnlyBoard = board(deps.queues, false);
  const adminBoard = board(deps.queues, true);
  const basic = deps.adminUser && deps.adminPassword ? basicAdmin(deps.adminUser, deps.adminPassword) : undefined;
  const guard: RequestHandler = (req, res, next) => {
    const fallback = () => {
      if (basic) return basic(req, res, () => { res.locals.boardWritable = false; next(); });
      if (deps.authorize) return void res.status(401).type('text/plain').send(ADMINS_ONLY);
      res.status(503).type('text/plain').send('The queue dashboard is disabled: no admin sign-in is configured (ปิดใช้งาน)\n');
    };
    if (!deps.authorize) return fallback();
    deps.authorize(req).then((ok) => {
      if (!ok) return fallback();
      res.locals.boardWritable = true;
      next();
    }, next);
  };
  // Refused before the board sees it, whatever the board's own checks: any change to an intake queue,
  // and any change at all from a read-only sign-in.
  const writes: RequestHandler = (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    // Express matches routes case-insensitively, so this does too; a name that does not decode is refused.
    const queue = /^\/api\/queues\/([^/]+)/i.exec(req.path)?.[1];
    let intake = false;
    try { intake = queue !== undefined && isIntakeQueue(decodeURIComponent(queue)); } catch { intake = true; }
    if (intake || !res.locals.boardWritable) return void res.status(403).type('text/plain').send(READ_ONLY);
    next();
  };
  const router = express.Router();
  router.use(QUEUES_BOARD_PATH, securityHeaders(BOARD_CSP), (_req, res, next) => { res.setHeader('cache-control', 'no-store'); next(); }, guard, writes,
    (req, res, next) => (res.locals.boardWritable ? adminBoard : readOnlyBoard)(req, res, next));
  return router;
}
