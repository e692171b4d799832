/**
 * `npm run bench:related`: the related-complaints search (shared/related/search.ts) at 100,000 open cases.
 *
 * Seeds BENCH_CASES open cases (default 100,000) on a throwaway FerretDB (or MONGODB_URI) with
 * insertMany in batches, as openCase writes them (the place keys of shared/related/keys.ts, listDay,
 * a timeline entry, an entry in the search's index): 40 % in Bangkok, 15 % in Chiang Mai city, the rest over the whole country, of the
 * place-bound problem types, received over the past 60 days, with descriptions written the way
 * citizens type. Then BENCH_SEARCHES (default 300) candidate searches at the places of random cases
 * (so the busy areas are probed in proportion), reporting p50/p95/p99 against the target p95 ≤ 50 ms.
 * Measured in the same run, the engine's own floor: a `findOne` by `_id` and one indexed equality
 * query of the kind the search sends (`{ relKeys }` on the index of open cases, 2 of which it runs in
 * parallel), so a missed target shows whether our code or the engine is the bound. Exits 1 if the
 * target is missed.
 *
 * Env: BENCH_CASES, BENCH_SEARCHES, BENCH_BATCH (insert batch, default 5,000), MONGODB_URI.
 */
import { performance } from 'node:perf_hooks';
import { Types } from 'mongoose';
import { bangkokDay } from '../shared/cases/listing.ts';
import { probeKeys } from '../shared/related/keys.ts';
import { findRelated, nearbyOpen } from '../shared/related/search.ts';
import { compactKey, entryFor, packEntry, relatedIndexModel } from '../shared/related/openIndex.ts';
import { buildIdf, resetIdf } from '../shared/related/text.ts';
import { benchDatabase, benchLog, fmt, num, seededRandom } from './support.ts';

const N = num('BENCH_CASES', 100_000);
const SEARCHES = num('BENCH_SEARCHES', 300);
const BATCH = num('BENCH_BATCH', 5_000);
const TARGET_P95_MS = 50;
const DAY_MS = 86_400_000;
const log = benchLog('bench:related');
const { rand, pick } = seededRandom();

const AREAS = [
  { share: 0.4, lat: [13.65, 13.9], lng: [100.45, 100.7], province: '10' },
  { share: 0.15, lat: [18.74, 18.84], lng: [98.94, 99.05], province: '50' },
  { share: 0.45, lat: [6.5, 20], lng: [98.5, 105], province: '30' },
] as const;
const TYPES = ['road', 'street_light', 'flooding', 'rubbish', 'water_supply', 'electricity', 'nuisance', 'stray_animals', 'traffic'] as const;
const PHRASES: Record<(typeof TYPES)[number], string[]> = {
  road: ['ถนนเป็นหลุมลึก รถมอไซค์ล้มบ่อย', 'ทางเท้าพัง อิฐหลุด เดินสะดุด', 'ถนนทรุดเป็นแอ่ง ฝนตกน้ำขัง', 'pothole ใหญ่มาก ขับรถลำบาก'],
  street_light: ['ไฟถนนดับทั้งซอย มืดมาก', 'ไฟทางกะพริบติดๆดับๆ', 'เสาไฟส่องสว่างดับหลายต้น กลัวโจร'],
  flooding: ['ฝนตกน้ำท่วมขัง ท่อระบายน้ำอุดตัน', 'ฝาท่อหาย เป็นรูอันตราย', 'น้ำรอระบายนานมาก ท่อตัน'],
  rubbish: ['ขยะไม่มีคนเก็บหลายวัน เหม็นมาก', 'มีคนแอบทิ้งขยะที่ดินว่าง', 'ขยะล้นถัง รถขยะไม่มา'],
  water_supply: ['น้ำประปาไม่ไหลสามวันแล้ว', 'ท่อประปาแตก น้ำพุ่ง', 'น้ำประปาขุ่นมีกลิ่น'],
  electricity: ['ไฟฟ้าดับบ่อย วันละหลายรอบ', 'สายไฟหย่อนต่ำ รถสูงเกี่ยว', 'เสาไฟฟ้าเอียงจะล้ม'],
  nuisance: ['ร้านเหล้าเปิดเพลงเสียงดังถึงตีสาม', 'เผาขยะควันเข้าบ้าน', 'โรงงานปล่อยกลิ่นเหม็น'],
  stray_animals: ['หมาจรจัดไล่กัดคน', 'งูเห่าเข้าบ้านบ่อย', 'รังต่อใหญ่ที่ต้นไม้หน้าโรงเรียน'],
  traffic: ['รถจอดกีดขวางทั้งสองฝั่ง', 'สัญญาณไฟจราจรเสีย รถเกือบชน', 'วัยรุ่นแข่งรถตอนดึก'],
};
const PLACES = ['หน้าวัด', 'ซอย 5', 'ตรงข้ามตลาด', 'หน้าโรงเรียน', 'ปากซอยบ้านพัก', 'แยกไฟแดง', 'หลังหมู่บ้าน', 'ข้างเซเว่น', 'ใกล้ป้ายรถเมล์', 'หน้าคอนโด'];

function randomCase(i: number, now: number) {
  const r = rand();
  const area = r < AREAS[0].share ? AREAS[0] : r < AREAS[0].share + AREAS[1].share ? AREAS[1] : AREAS[2];
  const lat = area.lat[0] + rand() * (area.lat[1] - area.lat[0]);
  const lng = area.lng[0] + rand() * (area.lng[1] - area.lng[0]);
  // A subdistrict is about 3 km across in town: a synthetic code from a coarse grid.
  const sub = `${area.province}${String(Math.floor(lat / 0.03)).padStart(3, '0')}${String(Math.floor(lng / 0.03) % 1000).padStart(3, '0')}`;
  const type = pick(TYPES);
  const description = `${pick(PHRASES[type])} ${pick(PLACES)} ${pick(PHRASES[type])} ขอให้ช่วยแก้ไขด่วนค่ะ เดือดร้อนมาก`;
  const receivedAt = new Date(now - rand() * 60 * DAY_MS);
  const pin = rand() < 0.85;
  const location = { provinceCode: area.province, districtCode: sub.slice(0, 4), subdistrictCode: sub, ...(pin ? { lat, lng } : {}) };
  return {
    _id: new Types.ObjectId(), trackingNo: `2569-B${String(i).padStart(7, '0')}`, idempotencyKey: `bench-related:${i}`, channel: 'line', category: 'help', problemType: type,
    description, location, status: rand() < 0.5 ? 'received' : 'in_progress', unitCode: sub.slice(0, 4), receivedAt, listDay: bangkokDay(receivedAt),
    complainant: { lineUserId: `U${String(i).padStart(32, '0')}`, lang: 'th' }, supporterCount: 1,
    timeline: [{ at: receivedAt, by: { kind: 'citizen' }, action: 'opened', toStatus: 'received' }],
  };
}

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]!; };

async function timed(n: number, f: (i: number) => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) { const t = performance.now(); await f(i); out.push(performance.now() - t); }
  return out;
}

async function main() {
  const { models, services, close } = await benchDatabase('bench_related', log);
  let failed = false;
  try {
    const now = Date.now();
    const seeded: ReturnType<typeof randomCase>[] = [];
    const t0 = performance.now();
    for (let i = 0; i < N; i += BATCH) {
      const batch = Array.from({ length: Math.min(BATCH, N - i) }, (_, k) => randomCase(i + k, now));
      await models.Case.collection.insertMany(batch, { ordered: false });
      // Their entries in the search's index, as openCase writes them (shared/related/openIndex.ts).
      await relatedIndexModel(models).collection.insertMany(batch.map((c) => packEntry(entryFor(c)!)) as never[], { ordered: false });
      // Keep a sample to probe at (every 50th case): the searches land where cases are.
      for (let k = 0; k < batch.length; k += 50) seeded.push(batch[k]!);
      if ((i / BATCH) % 4 === 0) log(`seeded ${fmt(i + batch.length)} / ${fmt(N)}`);
    }
    const seedS = (performance.now() - t0) / 1000;
    log(`seeded ${fmt(N)} open cases in ${fmt(seedS, 1)} s (${fmt(N / seedS)} /s)`);

    const ti = performance.now();
    const idf = await buildIdf(models, new Date(now));
    const idfMs = performance.now() - ti;
    resetIdf(idf);
    log(`IDF sample: ${fmt(idf.size)} descriptions in ${fmt(idfMs)} ms (once an hour, in the background)`);

    const probes = Array.from({ length: SEARCHES }, () => {
      const c = pick(seeded);
      const type = pick(TYPES);
      return { problemType: type, category: 'help', location: c.location, description: `${pick(PHRASES[type])} ${pick(PLACES)}`, at: new Date(now) };
    });
    // Warm up the connection pool and the plan cache.
    for (const p of probes.slice(0, 10)) await findRelated(models, p, { idf });

    const byId = await timed(SEARCHES, (i) => models.Case.findById(seeded[i % seeded.length]!._id, { trackingNo: 1 }).lean());
    const oneKey = await timed(SEARCHES, (i) => relatedIndexModel(models).find({ relKeys: compactKey(probeKeys(probes[i]!)[0]!) }, { d: 1 }).lean());
    const candidates: number[] = [];
    const read = await timed(SEARCHES, async (i) => candidates.push((await nearbyOpen(models, probes[i]!)).length));
    const found: number[] = [];
    const search = await timed(SEARCHES, async (i) => found.push((await findRelated(models, probes[i]!, { idf })).length));

    const row = (name: string, xs: number[], target?: number) => {
      const ok = target === undefined ? undefined : quantile(xs, 0.95) <= target;
      if (ok === false) failed = true;
      console.log(`  ${name.padEnd(52)} p50 ${fmt(quantile(xs, 0.5), 1).padStart(6)} ms   p95 ${fmt(quantile(xs, 0.95), 1).padStart(6)} ms   p99 ${fmt(quantile(xs, 0.99), 1).padStart(6)} ms   ${ok === undefined ? 'baseline' : `target p95 ≤ ${target} ms ${ok ? 'ok' : 'MISSED'}`}`);
    };
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
    console.log(`\nbench:related — ${fmt(N)} open cases, ${fmt(SEARCHES)} searches (${services ? services.describe.mongo : 'MONGODB_URI'})`);
    console.log(`  seeding (insertMany, batches of ${fmt(BATCH)})  ${fmt(seedS, 1)} s, ${fmt(N / seedS)} cases/s   info`);
    console.log(`  IDF sample of ${fmt(idf.size)} recent descriptions  ${fmt(idfMs)} ms   info (hourly, background)`);
    row('baseline: findOne by _id', byId);
    row('baseline: one { relKeys } equality on the index', oneKey);
    row('the search\'s reads: its 2 keys in parallel', read);
    row('findRelated (reads, scoring, ranking)', search, TARGET_P95_MS);
    console.log(`  open cases read per search: mean ${fmt(avg(candidates), 1)}, p95 ${fmt(quantile(candidates, 0.95))}; shown per search: mean ${fmt(avg(found), 2)}`);
  } finally {
    resetIdf();
    await close();
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((err) => { console.error(err); process.exit(1); });
