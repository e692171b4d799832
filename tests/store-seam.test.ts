/**
 * The store seam (shared/store/): what the code may count on from the engine is decided once per
 * connection and held there; the version claim gives each version of a document one writer; the
 * tally counts by key. Runs on the FerretDB the test services start (PostgreSQL where installed).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ensureMigrated } from '../app/migrate.ts';
import { postgresBinDir } from '../shared/infra/launcher.ts';
import { bindModels, connectDb, type Models } from '../shared/models/index.ts';
import { CLAIM_STALE_MS, claimId, claimVersion } from '../shared/store/claim.ts';
import { capsOf, storeCapsOf } from '../shared/store/engine.ts';
import { tally } from '../shared/store/tally.ts';

const mongoUri = inject('mongoUri').replace(/\/$/, '');
const opened: Models[] = [];

async function db(): Promise<Models> {
  const m = await connectDb(mongoUri, `rongrian_store_${randomBytes(4).toString('hex')}`);
  opened.push(m);
  return m;
}

afterAll(async () => {
  for (const m of opened) {
    await m.conn.dropDatabase().catch(() => undefined);
    await m.conn.close();
  }
});

// The launcher runs FerretDB on PostgreSQL where it is installed, else on SQLite.
const here = postgresBinDir() ? 'ferretdb-postgresql' : 'ferretdb-sqlite';

describe('the store seam', () => {
  it('decides the engine once per connection: every holder of its models gets the same capabilities, never asked again', async () => {
    const m = await db();
    await ensureMigrated(m);
    const caps = await storeCapsOf(m);
    expect(caps.engine).toBe(here);
    expect(caps.version).toMatch(/^v1\./);
    // Another set of models bound to the same connection (tools and tests do this) shares the decision.
    expect(await storeCapsOf(bindModels(m.conn))).toBe(caps);
    expect(Object.isFrozen(caps)).toBe(true);
    // Not detected again: with the collection its detection explains gone, the held answer stands.
    await m.conn.db!.collection('cases').drop();
    expect(await storeCapsOf(m)).toBe(caps);
  });

  it('keeps no guess on an empty FerretDB database (its backend cannot be told before the migration)', async () => {
    const m = await db();
    const before = await storeCapsOf(m);
    expect(before.engine).toMatch(/^ferretdb-/);
    await ensureMigrated(m);
    const after = await storeCapsOf(m);
    expect(after).not.toBe(before);
    expect(after.engine).toBe(here);
    expect(await storeCapsOf(m)).toBe(after);
  });

  it('FerretDB as run here: no atomic conditional update, filters scan, indexes of our own; MongoDB: none of these workarounds', async () => {
    const caps = await storeCapsOf(await db().then(async (m) => { await ensureMigrated(m); return m; }));
    expect(caps).toMatchObject({
      atomicConditionalUpdate: false,
      filtersScan: true,
      groupInServer: false,
      concurrentWriters: here === 'ferretdb-postgresql',
      ownIndexes: here === 'ferretdb-postgresql' ? 'postgres-gin' : 'sqlite-id-expression',
    });
    expect(capsOf('mongodb', '7.0.0')).toEqual({
      engine: 'mongodb', version: '7.0.0', atomicConditionalUpdate: true, filtersScan: false,
      concurrentWriters: true, ownIndexes: 'none', groupInServer: true,
    });
  });

  it('one writer per version: a version is claimed once, ever; a claim abandoned for CLAIM_STALE_MS is taken over', async () => {
    const m = await db();
    await ensureMigrated(m);
    const claims = await Promise.all(Array.from({ length: 6 }, () => claimVersion(m, 'doc-a', 3)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect(await claimVersion(m, 'doc-a', 3)).toBe(false);
    expect(await claimVersion(m, 'doc-a', 4)).toBe(true);
    // A writer that died right after claiming, long ago.
    await m.CaseClaim.create({ _id: claimId('doc-b', 0), at: new Date(Date.now() - CLAIM_STALE_MS - 1_000) });
    expect(await claimVersion(m, 'doc-b', 0)).toBe(true);
    expect(await m.CaseClaim.findById(claimId('doc-b', 0, 1)).lean()).not.toBeNull();
    expect(await claimVersion(m, 'doc-b', 0)).toBe(false);
  });

  it('tally counts rows by key, keeping the first row\'s value of each group', async () => {
    const m = await db();
    const rows = m.conn.db!.collection('tally_rows');
    await rows.insertMany([{ u: 'a', s: 1 }, { u: 'b', s: 2 }, { u: 'a', s: 3 }, { u: 'a', s: 4 }]);
    const groups = await tally(rows.find({}, { sort: { s: 1 } }), (r) => ({ key: String(r.u), value: () => r.s as number }));
    expect([...groups.entries()]).toEqual([['a', { value: 1, n: 3 }], ['b', { value: 2, n: 1 }]]);
  });
});
