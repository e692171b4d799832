/**
 * /admin/queues: the bull-board dashboard over every queue, for admins only: an officer with the
 * `admin` role signed in to the dashboard (LINE Login session, dashboard/auth.ts), or — for
 * operators and scripts — HTTP Basic against ADMIN_USER / ADMIN_PASSWORD when both are set.
 */
import express, { type Request, type RequestHandler, type Router } from 'express';
import type { Queue } from 'bullmq';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { sameSecret } from './metrics.ts';

export const QUEUES_BOARD_PATH = '/admin/queues';

export interface QueuesBoardDeps {
  queues: Queue[];
  adminUser: string;
  adminPassword: string;
  /** Is the caller an admin by another sign-in (the dashboard session)? Tried before Basic auth. */
  authorize?: (req: Request) => Promise<boolean>;
}

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
function adapterFor(q: Queue): BullMQAdapter {
  const a = new BullMQAdapter(q);
  if (q.name.startsWith('line-events-')) {
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

export function queuesBoard(deps: QueuesBoardDeps): Router {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUES_BOARD_PATH);
  createBullBoard({ queues: deps.queues.map(adapterFor), serverAdapter, options: { uiConfig: { boardTitle: 'Rongrian queues' } } });
  const basic = deps.adminUser && deps.adminPassword ? basicAdmin(deps.adminUser, deps.adminPassword) : undefined;
  const guard: RequestHandler = (req, res, next) => {
    const fallback = () => {
      if (basic) return basic(req, res, next);
      if (deps.authorize) return void res.status(401).type('text/plain').send(ADMINS_ONLY);
      res.status(503).type('text/plain').send('The queue dashboard is disabled: no admin sign-in is configured (ปิดใช้งาน)\n');
    };
    if (!deps.authorize) return fallback();
    deps.authorize(req).then((ok) => (ok ? next() : fallback()), next);
  };
  const router = express.Router();
  router.use(QUEUES_BOARD_PATH, (_req, res, next) => { res.setHeader('cache-control', 'no-store'); next(); }, guard, serverAdapter.getRouter() as Router);
  return router;
}
