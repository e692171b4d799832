/**
 * /admin/queues: the bull-board dashboard over every queue, for admins only. Until the dashboard's
 * LINE Login session (dashboard/auth.ts) is on main, admins sign in with HTTP Basic against
 * ADMIN_USER / ADMIN_PASSWORD; with either unset the board is closed to everyone (503).
 * `authorize` lets the composition root put the session check in front instead.
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
  /** Another admin check (e.g. the dashboard session); when given, Basic auth is not used. */
  authorize?: (req: Request) => Promise<boolean>;
}

function basicAdmin(user: string, password: string): RequestHandler {
  return (req, res, next) => {
    if (!user || !password) {
      return void res.status(503).type('text/plain').send('The queue dashboard is disabled: set ADMIN_USER and ADMIN_PASSWORD (ปิดใช้งาน: ยังไม่ได้ตั้งค่าผู้ดูแล)\n');
    }
    const m = /^basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.get('authorization') ?? '');
    const decoded = m ? Buffer.from(m[1], 'base64').toString('utf8') : '';
    const sep = decoded.indexOf(':');
    // Both compared, always: which half was wrong must not show in the timing.
    const okUser = sameSecret(sep >= 0 ? decoded.slice(0, sep) : '', user);
    const okPassword = sameSecret(sep >= 0 ? decoded.slice(sep + 1) : '', password);
    if (okUser && okPassword) return next();
    res.setHeader('WWW-Authenticate', 'Basic realm="rongrian-admin", charset="UTF-8"');
    res.status(401).type('text/plain').send('Admins only (เฉพาะผู้ดูแลระบบ)\n');
  };
}

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
  const guard: RequestHandler = deps.authorize
    ? (req, res, next) => {
      deps.authorize!(req).then((ok) => (ok ? next() : void res.status(401).type('text/plain').send('Admins only (เฉพาะผู้ดูแลระบบ)\n')), next);
    }
    : basicAdmin(deps.adminUser, deps.adminPassword);
  const router = express.Router();
  router.use(QUEUES_BOARD_PATH, (_req, res, next) => { res.setHeader('cache-control', 'no-store'); next(); }, guard, serverAdapter.getRouter() as Router);
  return router;
}
