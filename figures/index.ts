/**
 * The public figures (PUBLIC_FIGURES=true; off, app/ does not mount this and /figures is 404):
 * `GET /figures` the page (Thai; `?lang=en` English; `?period=2569` a fiscal year or `?period=2026-03`
 * a month, also `?fy=` / `?month=`), `GET /figures/photos/:slug` an officer-approved "after" photo
 * with its metadata removed. No sign-in and no personal data (docs/public-figures.md).
 *
 * The page's figures are computed once per period and cached in Redis for `cacheSeconds` under a
 * generation that an approval or withdrawal of a result bumps (shared/publicResults); browsers and
 * proxies may keep the answer as long (Cache-Control: public).
 */
import { Router, type Request, type Response } from 'express';
import type { Redis } from 'ioredis';
import { mongo } from 'mongoose';
import type { Clock } from '../shared/clock.ts';
import type { Logger } from '../shared/logger.ts';
import type { Models } from '../shared/models/index.ts';
import { setSecurityHeaders } from '../shared/http/securityHeaders.ts';
import { fiscalYearOf, fiscalYearPeriod, monthOf, parsePeriod, ReportInputError, type ReportPeriod } from '../shared/reports/period.ts';
import { figuresGenerationKey, isShownPublicly } from '../shared/publicResults/index.ts';
import { computeFigures, type FiguresData } from './data.ts';
import { FIGURES_CSP, renderFiguresPage } from './page.ts';
import { stripMetadata } from './strip.ts';

export interface FiguresDeps {
  models: Models;
  redis: Redis;
  /** The deployment's key prefix in Redis (QUEUE_PREFIX). */
  prefix: string;
  clock: Clock;
  log: Logger;
  /** How long a computed page is kept (Redis) and may be kept by browsers and proxies. */
  cacheSeconds: number;
}

/** Where the router is mounted: links in the page and the officer's view point here. */
export const FIGURES_BASE = '/figures';

const SLUG = /^[A-Za-z0-9_-]{22}$/;
/** Fiscal years the page answers for: this one and the ones before it. */
const YEARS_BACK = 10;
/** Photos as served (metadata removed), kept in memory by file id: a popular result is read from GridFS once. */
const PHOTO_CACHE_MAX = 64;
const PHOTO_BYTES_MAX = 12 * 1024 * 1024;

function periodFrom(req: Request, now: Date): ReportPeriod {
  const q = req.query;
  const one = (v: unknown) => (typeof v === 'string' ? v.slice(0, 20) : undefined);
  const period = one(q.period);
  if (period) return /^\d{4}$/.test(period) ? parsePeriod({ fiscalYear: period }) : parsePeriod({ month: period });
  if (one(q.fy) || one(q.month)) return parsePeriod({ fiscalYear: one(q.fy), month: one(q.month) });
  return fiscalYearPeriod(fiscalYearOf(now));
}

export function createFiguresRouter(deps: FiguresDeps): Router {
  const router = Router();
  const photos = new Map<string, { type: string; bytes: Buffer }>();

  /** The figures of a period: from Redis if computed within cacheSeconds (and no result was approved or withdrawn since), else computed now. */
  async function figuresOf(period: ReportPeriod): Promise<FiguresData> {
    const gen = (await deps.redis.get(figuresGenerationKey(deps.prefix))) ?? '0';
    const key = `${deps.prefix}:figures:${gen}:${period.kind === 'month' ? period.month : period.from}`;
    const hit = await deps.redis.get(key);
    if (hit) return JSON.parse(hit) as FiguresData;
    const data = await computeFigures(deps.models, period);
    await deps.redis.set(key, JSON.stringify(data), 'EX', deps.cacheSeconds);
    return data;
  }

  router.get(FIGURES_BASE, async (req: Request, res: Response, next) => {
    try {
      const lang = req.query.lang === 'en' ? 'en' : 'th';
      const now = deps.clock.now();
      let period: ReportPeriod;
      try {
        period = periodFrom(req, now);
        if (period.kind === 'range') throw new ReportInputError('ช่วงเวลาต้องเป็นปีงบประมาณหรือเดือน / the period must be a fiscal year or a month');
        // A bounded set of periods, so requests cannot make the page compute (and cache) without end.
        const latest = fiscalYearOf(now);
        if (period.fiscalYear > latest || period.fiscalYear < latest - YEARS_BACK + 1) {
          throw new ReportInputError(`แสดงได้เฉพาะปีงบประมาณ ${latest - YEARS_BACK + 1}–${latest} / only fiscal years ${latest - YEARS_BACK + 1}–${latest} are shown`);
        }
      } catch (err) {
        if (!(err instanceof ReportInputError)) throw err;
        setSecurityHeaders(res);
        return void res.status(400).type('text/plain; charset=utf-8').send(`${err.message}\nตัวอย่าง / e.g. ${FIGURES_BASE}?period=2569 or ${FIGURES_BASE}?period=2026-03`);
      }
      const data = await figuresOf(period);
      const query = new URL(req.originalUrl, 'http://x').search;
      setSecurityHeaders(res, FIGURES_CSP);
      res.setHeader('cache-control', `public, max-age=${deps.cacheSeconds}`);
      res.type('html').send(renderFiguresPage(data, { lang, base: FIGURES_BASE, latestFy: fiscalYearOf(now), thisMonth: monthOf(now), query }));
    } catch (err) {
      next(err);
    }
  });

  router.get(`${FIGURES_BASE}/photos/:slug`, async (req: Request, res: Response, next) => {
    try {
      const slug = String(req.params.slug);
      const gone = () => void res.status(404).type('text/plain; charset=utf-8').send('ไม่พบรูปนี้ / No such photo');
      if (!SLUG.test(slug)) return gone();
      // Checked on every request (one indexed read): a withdrawn or reopened result is gone at once.
      const c = await deps.models.Case.findOne({ publicSlug: slug }, {
        status: 1, category: 1, problemType: 1, concernedUnitCode: 1, mergedInto: 1, 'complainant.anonymous': 1, publicResult: 1, attachments: 1, resolution: 1,
      }).lean();
      const fileId = c?.publicResult?.photoFileId ? String(c.publicResult.photoFileId) : undefined;
      if (!c || !fileId || !isShownPublicly(c)) return gone();
      // Only an officer's "after" photo of this case, never one the complainant sent.
      const after = (c.attachments ?? []).find((a) => String(a.fileId) === fileId && a.kind === 'after');
      if (!after) return gone();
      let photo = photos.get(fileId);
      if (!photo) {
        const bucket = new mongo.GridFSBucket(deps.models.conn.db!, { bucketName: 'attachments' });
        const chunks: Buffer[] = [];
        let size = 0;
        try {
          for await (const chunk of bucket.openDownloadStream(new mongo.ObjectId(fileId))) {
            size += (chunk as Buffer).length;
            if (size > PHOTO_BYTES_MAX) return gone();
            chunks.push(chunk as Buffer);
          }
        } catch {
          return gone();
        }
        const bytes = stripMetadata(after.contentType ?? '', Buffer.concat(chunks));
        if (!bytes) return gone();
        photo = { type: after.contentType!, bytes };
        if (photos.size >= PHOTO_CACHE_MAX) photos.delete(photos.keys().next().value!);
        photos.set(fileId, photo);
      }
      setSecurityHeaders(res);
      res.setHeader('cache-control', `public, max-age=${deps.cacheSeconds}`);
      res.setHeader('content-type', photo.type);
      res.setHeader('cross-origin-resource-policy', 'same-origin');
      res.send(photo.bytes);
    } catch (err) {
      deps.log.warn({ err: (err as Error).message }, 'public photo failed');
      next(err);
    }
  });

  return router;
}
