import { linkOfficerMenu } from '../bot/handlers/officerMenu.ts';
import type { LineSimulator } from '../simulator/server.ts';
import type { Runtime } from './runtime.ts';
import { readFileSync } from 'node:fs';
import { importAgencies } from '../shared/agencies/importCsv.ts';

/** The demo area's partner agencies (Hang Dong, Chiang Mai): invented names, no contact data. */
export const DEMO_AGENCIES_CSV = new URL('../config/agencies-demo.csv', import.meta.url);

/** Loads config/agencies-demo.csv (idempotent), so the walk-through shows routing to an agency. */
export async function seedDemoAgencies(rt: Pick<Runtime, 'models'>): Promise<void> {
  const r = await importAgencies(rt.models, readFileSync(DEMO_AGENCIES_CSV, 'utf8'));
  if (r.errors.length) throw new Error(`config/agencies-demo.csv: ${r.errors.map((e) => `line ${e.line}: ${e.en}`).join('; ')}`);
}

/**
 * Demo officers for the simulator (npm start without LINE credentials), so the alert card has someone
 * to reach and every case someone who can act on it: a district centre's officer; the province head,
 * who gets the cases of the province's districts with nobody registered and may take them over; and
 * a ministry executive for everywhere else. Each gets the officers' rich menu, as a registration would.
 */
export const DEMO_OFFICERS = [
  { displayName: 'จนท. ศูนย์ดำรงธรรม อ.เมืองเชียงใหม่', unitCode: '5001', role: 'officer' as const },
  { displayName: 'จนท. ศูนย์ดำรงธรรม จ.เชียงใหม่', unitCode: '50', role: 'head' as const },
  { displayName: 'จนท. ศูนย์ดำรงธรรม กระทรวงมหาดไทย', unitCode: 'MOI', role: 'executive' as const },
  // A partner agency's officer (config/agencies-demo.csv): a street light reported in ต.หางดง reaches them.
  { displayName: 'จนท. เทศบาลตำบลหางดง (ตัวอย่าง)', unitCode: 'AG-CM-HANGDONG-MUN', role: 'officer' as const },
];

export async function seedDemoOfficers(rt: Pick<Runtime, 'models' | 'bot'>, sim: Pick<LineSimulator, 'addUser'>): Promise<string[]> {
  await seedDemoAgencies(rt);
  const ids: string[] = [];
  for (const p of DEMO_OFFICERS) {
    const user = sim.addUser({ displayName: p.displayName, language: 'th', role: 'officer' });
    await rt.models.Officer.updateOne({ lineUserId: user.userId }, { $set: { unitCode: p.unitCode, role: p.role, name: p.displayName, active: true } }, { upsert: true });
    await linkOfficerMenu(user.userId, rt.bot);
    ids.push(user.userId);
  }
  return ids;
}
