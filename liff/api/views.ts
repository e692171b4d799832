/**
 * Cases as the LIFF pages see them. The complainant's identity never appears here except in the
 * officer detail (complainant block), and a citizen's LINE id never appears at all.
 */
import { isOpenStatus, STATUS_LABELS, type CaseStatus } from '../../shared/categories.ts';
import { formatArea } from '../../shared/cases/area.ts';
import { province as provinceOf } from '../../shared/geo/index.ts';
import { en } from '../../shared/i18n/en.ts';
import { th } from '../../shared/i18n/th.ts';
import type { CaseDoc, TimelineEntry } from '../../shared/models/index.ts';
import type { CaseDetailOut, CaseSummaryOut, OfficerCaseDetailOut } from './schemas.ts';
import type { UnitNames } from '../../shared/units/names.ts';
import { INTERNAL_NOTE_ACTION } from '../../shared/cases/commands/addInternalNote.ts';
import { surveyAnswered } from '../../shared/cases/commands/submitSurvey.ts';
import { reopenRefusal } from '../../shared/cases/commands/reopenCase.ts';
import { publishRefusal } from '../../shared/publicResults/index.ts';
import { redactText } from '../../shared/privacy/redact.ts';

export type Viewer = 'citizen' | 'officer';
const iso = (d: unknown): string => (d instanceof Date ? d : new Date(String(d ?? 0))).toISOString();

export function toSummary(c: CaseDoc, units: UnitNames, viewer: Viewer): CaseSummaryOut {
  const status = c.status as CaseStatus;
  const open = isOpenStatus(status);
  const citizen = viewer === 'citizen';
  return {
    id: String(c._id),
    trackingNo: c.trackingNo,
    category: c.category,
    ...(c.problemType ? { problemType: c.problemType } : {}),
    status,
    statusTh: STATUS_LABELS[status].th,
    statusEn: STATUS_LABELS[status].en,
    createdAt: iso(c.createdAt),
    updatedAt: iso(c.updatedAt),
    unitNameTh: units.get(c.unitCode)?.nameTh ?? c.unitCode,
    areaTh: formatArea(c.location, 'th'),
    canAddInfo: citizen && open,
    canWithdraw: citizen && open,
    surveyDue: citizen && status === 'closed' && c.resolution?.kind === 'resolved' && !surveyAnswered(c),
    // Shown once someone joined ("แจ้งด้วย"); a case reported by one person carries no count.
    ...((c.supporterCount ?? 1) > 1 ? { supporterCount: c.supporterCount } : {}),
  };
}

function timelineText(e: TimelineEntry, units: UnitNames): { textTh: string; textEn: string } {
  const action = e.action as keyof typeof th.timeline;
  if (action === 'forwarded') {
    const unit = units.get(e.unitCode ?? '');
    return { textTh: th.timeline.forwarded(unit?.nameTh ?? e.unitCode ?? ''), textEn: en.timeline.forwarded(unit?.nameEn ?? e.unitCode ?? '') };
  }
  if (action === 'info_added' && !e.note && e.photos) {
    // Photos sent on their own (from the chat, say): the line says what came, as there is no note.
    return { textTh: `${th.timeline.info_added} (${th.attachments(e.photos)})`, textEn: `${en.timeline.info_added} (${en.attachments(e.photos)})` };
  }
  const t = th.timeline[action];
  const n = en.timeline[action];
  return typeof t === 'string' && typeof n === 'string' ? { textTh: t, textEn: n } : { textTh: th.timeline.other, textEn: en.timeline.other };
}

export function toDetail(c: CaseDoc, units: UnitNames, viewer: Viewer): CaseDetailOut {
  const loc = c.location ?? {};
  const detail: CaseDetailOut = {
    ...toSummary(c, units, viewer),
    description: c.description,
    channel: c.channel,
    location: {
      provinceCode: loc.provinceCode ?? '',
      provinceNameTh: loc.provinceName ?? (loc.provinceCode ? provinceOf(loc.provinceCode)?.nameTh : undefined) ?? '',
      ...(loc.districtCode ? { districtCode: loc.districtCode } : {}),
      ...(loc.districtName ? { districtNameTh: loc.districtName } : {}),
      ...(loc.subdistrictCode ? { subdistrictCode: loc.subdistrictCode } : {}),
      ...(loc.subdistrictName ? { subdistrictNameTh: loc.subdistrictName } : {}),
      ...(typeof loc.lat === 'number' ? { lat: loc.lat } : {}),
      ...(typeof loc.lng === 'number' ? { lng: loc.lng } : {}),
      ...(loc.address ? { address: loc.address } : {}),
    },
    attachments: (c.attachments ?? []).map((a) => ({
      id: String(a.fileId), contentType: a.contentType ?? 'application/octet-stream', size: a.size ?? 0, url: `/liff/api/files/${String(a.fileId)}`,
      ...(a.kind === 'after' ? { kind: 'after' as const } : {}),
    })),
    // Internal notes are for officers: the complainant's page never carries them, not even as a step.
    timeline: (c.timeline ?? []).filter((e) => viewer === 'officer' || e.action !== INTERNAL_NOTE_ACTION).map((e) => ({
      at: iso(e.at),
      action: e.action,
      actor: e.by.kind as 'citizen' | 'officer' | 'system',
      // Officers act under their name; a citizen is never named here (nor their LINE id).
      ...(e.by.kind === 'officer' && e.by.name ? { actorName: e.by.name } : {}),
      ...timelineText(e, units),
      ...(e.note ? { note: e.note } : {}),
    })),
  };
  if (c.resolution?.kind) detail.resolution = { kind: c.resolution.kind, text: c.resolution.text ?? '', at: iso(c.resolution.at) };
  // The answer to the current closure only: a reopened case closed again is asked afresh.
  if (c.survey?.at && surveyAnswered(c)) detail.survey = { score: c.survey.score ?? 0, ...(c.survey.comment ? { comment: c.survey.comment } : {}), at: iso(c.survey.at), ...(typeof c.survey.fixed === 'boolean' ? { fixed: c.survey.fixed } : {}) };
  if (viewer === 'citizen') detail.canReopen = Boolean(c.complainant?.lineUserId) && reopenRefusal(c) === null;
  if (c.reopens?.length) detail.reopens = c.reopens.map((r) => ({ at: iso(r.at), reason: r.reason ?? '', toParent: Boolean(r.fromUnitCode && r.unitCode && r.fromUnitCode !== r.unitCode) }));
  return detail;
}

/** The officer's page: the detail plus who complains (hidden when anonymous) and who has it. */
export function toOfficerDetail(c: CaseDoc, units: UnitNames): OfficerCaseDetailOut {
  const p: Partial<NonNullable<CaseDoc['complainant']>> = c.complainant ?? {};
  const anonymous = Boolean(p.anonymous);
  return {
    ...toDetail(c, units, 'officer'),
    complainant: {
      ...(!anonymous && p.name ? { name: p.name } : {}),
      ...(!anonymous && p.phone ? { phone: p.phone } : {}),
      anonymous,
      hasLine: Boolean(p.lineUserId),
    },
    ...(c.assignee?.officerId ? { assignee: { name: c.assignee.name ?? '' } } : {}),
    publishable: publishRefusal(c) === null,
    ...(c.publicSlug && c.publicResult?.approvedAt ? {
      publicResult: {
        summary: c.publicResult.summary ?? '', approvedAt: iso(c.publicResult.approvedAt), by: c.publicResult.by?.name ?? '',
        ...(c.publicResult.photoFileId ? { photoUrl: `/figures/photos/${c.publicSlug}` } : {}),
        pageUrl: `/figures#r-${c.publicSlug}`,
      },
    } : {}),
  };
}

/**
 * What someone who joined a case ("แจ้งด้วย") sees of it: status, area, the officers' updates and the
 * result, never the complainant's description, pin, address, photos, words on the timeline, reopen
 * reasons or survey. After photos the officer took of the result stay (they show the fix).
 */
export function toFollowerDetail(c: CaseDoc, units: UnitNames): CaseDetailOut {
  const d = toDetail(c, units, 'citizen');
  const { lat: _lat, lng: _lng, address: _address, ...area } = d.location;
  const out: CaseDetailOut = {
    ...d,
    following: true,
    description: '',
    location: area,
    canAddInfo: false, canWithdraw: false, surveyDue: false, canReopen: false,
    attachments: d.attachments.filter((a) => a.kind === 'after'),
    // Officers wrote these for the complainant: what they may have named of them is redacted.
    timeline: d.timeline.map(({ note, ...e }) => (e.actor === 'officer' && note ? { ...e, note: redactText(note) } : e)),
  };
  delete out.survey;
  delete out.reopens;
  if (out.resolution) out.resolution = { ...out.resolution, text: out.resolution.kind === 'withdrawn' ? '' : redactText(out.resolution.text) };
  return out;
}
