import { z } from 'zod';
import { isOpenStatus } from '../../../shared/categories.ts';
import { citizenCases } from '../../../shared/cases/citizenCases.ts';
import { eraseCitizen } from '../../../shared/privacy/anonymise.ts';
import { collectMyData, renderMyDataHtml } from '../../../shared/privacy/myData.ts';
import type { ApiRoutes } from '../registry.ts';
import type { LiffApiDeps } from '../support.ts';

const MyDataBody = z.looseObject({
  generatedAt: z.string(),
  lineUserId: z.string(),
  profile: z.looseObject({ displayName: z.string().nullable(), language: z.string().nullable() }).nullable(),
  draft: z.looseObject({ state: z.string(), photos: z.number() }).nullable(),
  linkAttempts: z.looseObject({ failures: z.number() }).nullable(),
  cases: z.array(z.looseObject({ trackingNo: z.string(), phone: z.string().nullable(), name: z.string().nullable(), photos: z.number() })),
});
const HtmlQuery = z.strictObject({ lang: z.enum(['th', 'en']).optional() });
const EraseBody = z.strictObject({
  /** Must be true: the page asks first, and says what an open case loses. */
  confirm: z.literal(true, { error: 'ต้องยืนยันการลบข้อมูล / confirm must be true' }),
});
const ErasePreview = z.strictObject({ cases: z.number().int(), openCases: z.number().int() });
const Erased = z.strictObject({ cases: z.array(z.string()), openCases: z.number().int(), photosDeleted: z.number().int() });

/** "ข้อมูลของฉัน": see and download what is held about me, and have it deleted. */
export function myDataRoutes(api: ApiRoutes, deps: LiffApiDeps): void {
  const { models } = deps;

  api.add({
    operationId: 'getMyData', method: 'get', path: '/me/data', tags: ['citizen'],
    summary: 'Everything held about me (JSON, also the download)',
    success: { status: 200, description: 'My data', schema: MyDataBody },
  }, async ({ user }) => collectMyData(models, user.userId, deps.clock.now()));

  api.add({
    operationId: 'getMyDataHtml', method: 'get', path: '/me/data.html', tags: ['citizen'],
    summary: 'The same as a readable page (Thai, or English with lang=en) to keep or print',
    query: HtmlQuery,
    success: { status: 200, description: 'HTML page' },
  }, async ({ user, query, res }) => {
    const html = renderMyDataHtml(await collectMyData(models, user.userId, deps.clock.now()), query.lang ?? 'th');
    res.setHeader('cache-control', 'no-store');
    res.status(200).type('text/html; charset=utf-8').send(html);
    return undefined;
  });

  api.add({
    operationId: 'previewErase', method: 'get', path: '/me/erase', tags: ['citizen'],
    summary: 'What deleting my data would touch: how many cases, how many still open (the unit can no longer reach me on those)',
    success: { status: 200, description: 'Counts', schema: ErasePreview },
  }, async ({ user }) => {
    const cases = await citizenCases<{ status: string }>(models, user.userId, { status: 1 }, 10_000);
    return { cases: cases.length, openCases: cases.filter((c) => isOpenStatus(c.status)).length };
  });

  api.add({
    operationId: 'eraseMyData', method: 'post', path: '/me/erase', tags: ['citizen'],
    summary: 'Withdraw consent and delete my personal data: my cases are anonymised (they stay in the statistics), the chat\'s record of me is deleted',
    body: EraseBody, rateLimit: 'write',
    success: { status: 200, description: 'Deleted', schema: Erased },
  }, async ({ user }) => {
    const r = await eraseCitizen(deps, user.userId);
    return { cases: r.cases.map((c) => c.trackingNo), openCases: r.cases.filter((c) => c.wasOpen).length, photosDeleted: r.photosDeleted };
  });
}
