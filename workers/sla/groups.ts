/**
 * Unit LINE groups in an SLA run: each unit with a linked group gets ONE message per run
 * in each of its groups, with what its officers were told this run. Only tracking numbers, deadline
 * kinds, due dates and counts: the digest lines carry no complainant data (no name, phone or text).
 */
import { th } from '../../shared/i18n/th.ts';
import type { Models } from '../../shared/models/index.ts';
import { unitGroupModel } from '../../shared/supervision/groups.ts';
import { officerDigest, type DigestLine } from './messages.ts';

/** A LINE group id (push target); user ids start with U. */
export const isGroupId = (to: string) => /^C[0-9a-f]{32}$/.test(to);

/** The group messages of one run: per unit that received something and has groups, one text per group. */
export async function groupDigests(models: Models, lines: DigestLine[], now: Date): Promise<{ to: string; text: string }[]> {
  const byUnit = new Map<string, DigestLine[]>();
  for (const l of lines) {
    const list = byUnit.get(l.n.unitCode) ?? [];
    if (!list.some((x) => x.n.key === l.n.key)) list.push(l);
    byUnit.set(l.n.unitCode, list);
  }
  if (!byUnit.size) return [];
  const groups = await unitGroupModel(models).find({ unitCode: { $in: [...byUnit.keys()] } }).sort({ _id: 1 }).lean();
  if (!groups.length) return [];
  const names = new Map((await models.Unit.find({ _id: { $in: groups.map((g) => g.unitCode) } }, { nameTh: 1 }).lean()).map((u) => [String(u._id), u.nameTh]));
  return groups.map((g) => ({
    to: String(g._id),
    text: `${th.groupDigestTitle(names.get(g.unitCode) ?? g.unitCode)}\n${officerDigest(byUnit.get(g.unitCode)!, now)}`,
  }));
}
