/**
 * The executive dashboard at /dashboard: LINE Login sign-in, then server-rendered pages —
 * overview, official tables (+ print view), late units, trends, data completeness, case search and
 * detail — and CSV/XLSX exports. Every page is limited to the signed-in officer's scope.
 *
 * The pages live one per file in ./pages/; this file assembles the router around them: security
 * headers, assets, sign-in, the session check, and the error page.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { createDashboardSessionReader, loginRouter } from './auth.ts';
import { ForbiddenScope } from './data.ts';
import { errorPage, html, plainPage } from './html.ts';
import { createPageContext, type DashboardDeps } from './pages/context.ts';
import { BadQuery } from './pages/query.ts';
import { overviewPage } from './pages/overview.ts';
import { reportsPage } from './pages/reports.ts';
import { lateUnitsPage } from './pages/lateUnits.ts';
import { trendsPage } from './pages/trends.ts';
import { completenessPage } from './pages/completeness.ts';
import { casesPage } from './pages/cases.ts';
import { caseDetailPage } from './pages/caseDetail.ts';
import { auditPage } from './pages/audit.ts';

const ASSETS = new URL('./web/', import.meta.url);
const ASSET_TYPES: Record<string, string> = { css: 'text/css; charset=utf-8', js: 'text/javascript; charset=utf-8' };

function chartJsPath(): string | undefined {
  try {
    return join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js');
  } catch {
    return undefined;
  }
}

export function createDashboard(deps: DashboardDeps): Router {
  const r = express.Router();
  const readSession = createDashboardSessionReader(deps);
  const chartJs = chartJsPath();

  r.use((_req, res, next) => {
    res.setHeader('content-security-policy', "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('x-content-type-options', 'nosniff');
    // The OAuth callback URL carries the code: never send it on as a referrer.
    res.setHeader('referrer-policy', 'no-referrer');
    next();
  });

  r.get('/assets/:file', async (req, res) => {
    const file = req.params.file;
    res.setHeader('cache-control', 'public, max-age=300');
    if (file === 'chart.umd.min.js' && chartJs) return void res.type(ASSET_TYPES.js).send(await readFile(chartJs));
    if (!/^[a-z-]+\.(css|js)$/.test(file)) return void res.status(404).end();
    try {
      res.type(ASSET_TYPES[file.split('.').pop()!]).send(await readFile(new URL(file, ASSETS)));
    } catch {
      res.status(404).end();
    }
  });

  r.get('/signed-out', (_req, res) => {
    res.type('html').send(plainPage('ออกจากระบบแล้ว', html`<h1>ออกจากระบบแล้ว</h1><p class="en">You are signed out.</p>
      <p><a class="button" href="/dashboard/login">เข้าสู่ระบบด้วย LINE <small>Sign in with LINE</small></a></p>`));
  });

  r.use(loginRouter(deps));

  // -------- everything below needs a session
  r.use(async (req, res, next) => {
    try {
      const s = await readSession(req);
      if (!s) {
        if (req.path.startsWith('/export/') || req.accepts(['html', 'json']) === 'json') {
          return void res.status(401).json({ message: 'ต้องเข้าสู่ระบบ (sign in required)' });
        }
        return void res.redirect(302, `/dashboard/login?next=${encodeURIComponent(req.originalUrl.slice(0, 500))}`);
      }
      res.locals.session = s;
      res.setHeader('cache-control', 'no-store');
      next();
    } catch (err) {
      next(err);
    }
  });

  const ctx = createPageContext(deps);
  auditPage(r, ctx); // first: it also records every export the pages below send
  overviewPage(r, ctx);
  reportsPage(r, ctx);
  lateUnitsPage(r, ctx);
  trendsPage(r, ctx);
  completenessPage(r, ctx);
  casesPage(r, ctx);
  caseDetailPage(r, ctx);

  // -------- errors of this router: the officer sees a page, not a stack
  r.use((err: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    if (err instanceof BadQuery) {
      if (req.path.startsWith('/export/')) return void res.status(400).json({ message: err.message });
      return errorPage(res, 400, 'ค่าที่เลือกไม่ถูกต้อง', err.message);
    }
    if (err instanceof ForbiddenScope) {
      if (req.path.startsWith('/export/')) return void res.status(403).json({ message: 'อยู่นอกขอบเขตหน่วยงานของท่าน (outside your scope)' });
      return errorPage(res, 403, 'หน่วยงานนี้อยู่นอกขอบเขตของท่าน', 'That unit is outside your scope: you see your unit and the units under it.');
    }
    next(err);
  });

  return r;
}
