import { z } from 'zod';
import { isSupervisorRole, mayActOn, openCasesOf, staffedUnits, unitsBelow } from '../../../shared/cases/access.ts';
import { assignCaseToOfficer } from '../../../shared/cases/commands/assignCase.ts';
import { takeOverCase } from '../../../shared/cases/commands/takeOverCase.ts';
import type { CaseDoc, OfficerDoc } from '../../../shared/models/index.ts';
import { unitNamesFor } from '../../../shared/units/names.ts';
import { notFound } from '../../../shared/http/errors.ts';
import { orThrow } from '../../../shared/http/result.ts';
import { fieldError, notOpen, validationError } from '../errors.ts';
import type { ApiRoutes } from '../registry.ts';
import { AssignBody, BelowCaseSummary, BelowCasesQuery, BelowUnit, CaseDetail, IdParams, OfficerChoice, TakeOverBody } from '../schemas.ts';
import { officerRef, requireOfficer, type LiffApiDeps } from '../support.ts';
import type { LiffUser } from '../auth.ts';
import { toDetail, toSummary } from '../views.ts';

/** Answers per list: the page shows the most recent; filters narrow it down. */
const LIST_LIMIT = 500;

/**
 * The supervisor's side of the officer pages (หน่วยงานในสังกัด): the open cases of the units below
 * theirs, filtered to the late or unowned ones or one unit; taking a case over; assigning it to a
 * named officer. Everyone else gets 404, as for a case that is not theirs.
 */
export function supervisorRoutes(api: ApiRoutes, deps: LiffApiDeps): void {
  const { models } = deps;
  const tags = ['officer'];

  async function requireSupervisor(user: LiffUser): Promise<OfficerDoc> {
    const officer = await requireOfficer(deps, user);
    if (!isSupervisorRole(officer.role)) throw notFound();
    return officer;
  }

  /** The units below, with whether anyone is registered there (a query per unit: `unitCode` is what the officers' index serves). */
  async function belowUnits(officer: OfficerDoc) {
    const codes = await unitsBelow(models, officer.unitCode);
    return { codes, staffed: await staffedUnits(models, codes) };
  }

  api.add({
    operationId: 'listUnitsBelow', method: 'get', path: '/officer/below/units', tags,
    summary: 'Supervisors: the units below mine, and whether each has a registered officer',
    errors: [404],
    success: { status: 200, description: 'Units', schema: z.array(BelowUnit) },
  }, async ({ user }) => {
    const officer = await requireSupervisor(user);
    const { codes, staffed } = await belowUnits(officer);
    const units = await models.Unit.find({ _id: { $in: codes } }, { nameTh: 1, nameEn: 1 }).lean();
    const byCode = new Map(units.map((u) => [String(u._id), u]));
    return codes.filter((c) => byCode.has(c)).map((code) => ({ code, nameTh: byCode.get(code)!.nameTh, nameEn: byCode.get(code)!.nameEn, staffed: staffed.has(code) }));
  });

  api.add({
    operationId: 'listCasesBelow', method: 'get', path: '/officer/below/cases', tags,
    summary: 'Supervisors: open cases of the units below mine (late, unowned, or one unit), most urgent first',
    query: BelowCasesQuery, errors: [404],
    success: { status: 200, description: 'Cases', schema: z.array(BelowCaseSummary) },
  }, async ({ user, query }) => {
    const officer = await requireSupervisor(user);
    const { codes, staffed } = await belowUnits(officer);
    let units = codes;
    if (query.unit) {
      if (!codes.includes(query.unit)) throw validationError([fieldError('unit', 'unknown_unit')]);
      units = [query.unit];
    }
    if (query.filter === 'unowned') units = units.filter((u) => !staffed.has(u));
    const rows = await openCasesOf<CaseDoc>(models, units, { description: 0, complainant: 0, pendingEvents: 0, attachments: 0 });
    const now = deps.clock.now();
    const list = rows
      // A complaint about the supervisor's own unit never reaches them, even from below.
      .filter((c) => c.concernedUnitCode !== officer.unitCode)
      .map((c) => ({ c, late: isOverdue(c, now), unowned: !staffed.has(c.unitCode) }))
      .filter((x) => query.filter !== 'late' || x.late);
    list.sort((a, b) => Number(b.late) - Number(a.late) || Number(b.unowned) - Number(a.unowned) || time(b.c.createdAt) - time(a.c.createdAt));
    const shown = list.slice(0, LIST_LIMIT);
    const names = await unitNamesFor(models, shown.map((x) => ({ unitCode: x.c.unitCode, timeline: [] })) as never);
    return shown.map(({ c, late, unowned }) => ({
      ...toSummary(c, names, 'officer'), unitCode: c.unitCode, late, unowned,
      ...(c.assignee?.officerId ? { assigneeName: c.assignee.name ?? '' } : {}),
    }));
  });

  api.add({
    operationId: 'listAssignableOfficers', method: 'get', path: '/officer/cases/:id/officers', tags,
    summary: 'Supervisors: officers a case may be assigned to (of its unit and of mine)',
    params: IdParams, errors: [404],
    success: { status: 200, description: 'Officers', schema: z.array(OfficerChoice) },
  }, async ({ user, params }) => {
    const officer = await requireSupervisor(user);
    const c = await models.Case.findById(params.id, { unitCode: 1, concernedUnitCode: 1 }).lean<CaseDoc>();
    if (!c || !(await mayActOn(models, officer, c))) throw notFound();
    const unitCodes = [...new Set([c.unitCode, officer.unitCode])];
    const officers = (await Promise.all(unitCodes.map((u) => models.Officer.find({ unitCode: u, active: true }, { name: 1, unitCode: 1, role: 1 }).lean()))).flat();
    const names = await unitNamesFor(models, unitCodes.map((u) => ({ unitCode: u, timeline: [] })) as never);
    return officers.map((o) => ({ id: String(o._id), name: o.name || '-', unitCode: o.unitCode, unitNameTh: names.get(o.unitCode)?.nameTh ?? o.unitCode, role: o.role }));
  });

  const action = { params: IdParams, rateLimit: 'write' as const, errors: [409], tags };
  const actionSuccess = { status: 200, description: 'The case now', schema: CaseDetail };
  const detail = async (c: CaseDoc) => toDetail(c, await unitNamesFor(models, [c]), 'officer');

  api.add({
    ...action, operationId: 'takeOverCase', method: 'post', path: '/officer/cases/:id/takeover',
    summary: 'Supervisors: รับเรื่องไว้เอง — a case of a unit below moves to my unit, assigned to me', body: TakeOverBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireSupervisor(user);
    const r = orThrow(await takeOverCase(deps, { caseId: params.id, officer: officerRef(officer, user), reason: body.reason }), {
      not_found: notFound, not_supervisor: notFound, not_open: notOpen,
      same_unit: () => validationError([fieldError('id', 'already_yours')]),
    });
    return detail(r.case);
  });

  api.add({
    ...action, operationId: 'assignCaseToOfficer', method: 'post', path: '/officer/cases/:id/assign',
    summary: 'Supervisors: มอบหมาย — name the officer who works the case; they get a LINE alert', body: AssignBody, success: actionSuccess,
  }, async ({ user, params, body }) => {
    const officer = await requireSupervisor(user);
    const r = orThrow(await assignCaseToOfficer(deps, { caseId: params.id, by: officerRef(officer, user), officerId: body.officerId }), {
      not_found: notFound, not_supervisor: notFound, not_open: notOpen,
      unknown_officer: () => validationError([fieldError('officerId', 'unknown_officer')]),
    });
    return detail(r.case);
  });
}

const time = (d: unknown) => (d ? new Date(d as Date).getTime() : 0);

/** Past a deadline whose promise is not kept: the same judgement as the late-units card (shared/supervision/lateUnits.ts overdueFilter). */
export function isOverdue(c: Pick<CaseDoc, 'status' | 'ackDueAt' | 'resolveDueAt' | 'answerDueAt' | 'timeline'>, now: Date): boolean {
  const past = (d: unknown) => !!d && new Date(d as Date).getTime() < now.getTime();
  if (c.status === 'received' && past(c.ackDueAt)) return true;
  if (past(c.resolveDueAt)) return true;
  return past(c.answerDueAt) && !(c.timeline ?? []).some((e) => ['note', 'asked', 'forwarded'].includes(e.action));
}
