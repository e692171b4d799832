/**
 * What every dashboard page gets from the router (dashboard/index.ts): the app's deps, the report
 * engine, and the shared bits of a signed-in page — the session, the page layout with its nav (unit
 * names cached), the unit picker, error forwarding for async handlers, and the CSRF check for forms.
 */
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { Clock } from '../../shared/clock.ts';
import type { Logger } from '../../shared/logger.ts';
import type { Models } from '../../shared/models/index.ts';
import type { WorkingCalendar } from '../../shared/sla/calendar.ts';
import type { PublishEvents } from '../../shared/cases/events.ts';
import type { LineClient } from '../../shared/line/client.ts';
import { buildReport, type ReportJson, type ReportQuery } from '../../shared/reports/index.ts';
import type { AuthConfig, DashboardSession } from '../auth.ts';
import { resolveScope, unitInfo, unitOptions, type Scope, type UnitInfo } from '../data.ts';
import { errorPage, html, layout, raw, type NavUser, type Raw } from '../html.ts';
import { sameToken } from '../session.ts';

/** The report engine (shared/reports/ buildReport), injected so the dashboard holds no second one. */
export type BuildReport = (q: ReportQuery) => Promise<ReportJson>;

export interface DashboardDeps {
  models: Models;
  clock: Clock;
  log: Logger;
  config: AuthConfig;
  calendar: WorkingCalendar;
  /** The official tables; default: shared/reports buildReport on these models. */
  buildReport?: BuildReport;
  /**
   * What supervisors' actions need (take over, assign, close a case; กระตุ้น a late unit): the domain
   * events' queue and LINE. Absent: the dashboard only reads.
   */
  actions?: {
    publish: PublishEvents; line: LineClient;
    /** Drops the public figures page's cache (shared/publicResults forgetPublicFigures) after a withdrawal. */
    forgetPublicFigures?: () => Promise<void>;
  };
}

export interface PageContext {
  deps: DashboardDeps;
  report: BuildReport;
  /** The signed-in officer (set by the router's session check before any page runs). */
  session: (res: Response) => DashboardSession;
  page: (res: Response, title: string, titleEn: string, active: string, body: Raw, scripts?: string[]) => Promise<void>;
  wrap: (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => void;
  scopeOf: (req: Request, res: Response, unit: string | undefined) => Promise<Scope>;
  picker: (res: Response, scope: Scope, extra: Raw, action: string) => Promise<Raw>;
  /** Body parser for the pages' POST forms. */
  form: RequestHandler;
  checkCsrf: (req: Request, res: Response) => boolean;
}

export function createPageContext(deps: DashboardDeps): PageContext {
  const report: BuildReport = deps.buildReport ?? ((q) => buildReport({ models: deps.models }, q));
  const session = (res: Response) => res.locals.session as DashboardSession;
  const unitNames = new Map<string, string>();
  async function navUser(res: Response): Promise<NavUser> {
    const s = session(res);
    let unitName = unitNames.get(s.principal.unitCode);
    if (!unitName) {
      unitName = (await unitInfo(deps.models, s.principal.unitCode))?.nameTh ?? s.principal.unitCode;
      unitNames.set(s.principal.unitCode, unitName);
    }
    return { name: s.principal.name || 'เจ้าหน้าที่', unitName, role: s.principal.role, csrf: s.csrf };
  }
  const page = async (res: Response, title: string, titleEn: string, active: string, body: Raw, scripts?: string[]) => {
    res.type('html').send(layout({ title, titleEn, active, user: await navUser(res), body, ...(scripts ? { scripts } : {}) }));
  };
  const wrap = (fn: (req: Request, res: Response) => Promise<void>) => (req: Request, res: Response, next: NextFunction) => void fn(req, res).catch(next);

  async function scopeOf(req: Request, res: Response, unit: string | undefined): Promise<Scope> {
    return resolveScope(deps.models, session(res).principal, unit);
  }

  async function picker(res: Response, scope: Scope, extra: Raw, action: string): Promise<Raw> {
    const units = await unitOptions(deps.models, session(res).principal, scope.unit);
    return html`<form class="pickers" method="get" action="${action}">
      <label>หน่วยงาน <small>Unit</small>
        <select name="unit">${units.map((u) => html`<option value="${u.code}" ${u.code === scope.unit.code ? raw('selected') : ''}>${levelPrefix(u)}${u.nameTh}</option>`)}</select>
      </label>
      ${extra}
      <button type="submit">แสดง <small>Show</small></button>
    </form>`;
  }

  const form = express.urlencoded({ extended: false, limit: '8kb' });
  /** A POST from a dashboard page: the session's CSRF token must come with it. */
  function checkCsrf(req: Request, res: Response): boolean {
    const token = typeof req.body?.csrf === 'string' ? req.body.csrf : '';
    if (sameToken(token, session(res).csrf)) return true;
    errorPage(res, 403, 'คำขอไม่ถูกต้อง (CSRF)', 'The request did not come from the dashboard page.');
    return false;
  }

  return { deps, report, session, page, wrap, scopeOf, picker, form, checkCsrf };
}

function levelPrefix(u: UnitInfo): string {
  return u.level === 'district' ? '— ' : u.level === 'partner' ? '· ' : '';
}
