import { parseArgs } from 'node:util';
import { systemClock } from '../shared/clock.ts';
import { loadConfigPart } from '../shared/config.ts';
import { connectDb } from '../shared/models/index.ts';
import { createOfficerInvite, OFFICER_ROLES, type OfficerRole } from '../shared/officers/invites.ts';
import { seedUnits } from '../shared/units/seed.ts';
import { runMain } from './main.ts';

const USAGE = `Usage: npm run cli -- <command>
  officer invite --unit <code> --role officer|head|executive|admin [--days 7]
      prints a one-time code; the person sends "ลงทะเบียน <code>" to the bot
  units seed
      creates the ministry, 77 provincial and 878 district centres (safe to repeat)`;

runMain(async () => {
  const argv = process.argv.slice(2);
  const [group, command] = argv;
  const { values } = parseArgs({ args: argv.slice(2), options: { unit: { type: 'string' }, role: { type: 'string' }, days: { type: 'string' } }, allowPositionals: true });
  if (!group || group === 'help' || group === '--help') { console.log(USAGE); return; }
  const { MONGODB_URI } = loadConfigPart(['MONGODB_URI']);
  const models = await connectDb(MONGODB_URI);
  try {
    if (group === 'units' && command === 'seed') {
      const n = await seedUnits(models);
      console.log(n ? `seeded ${n} units` : 'units already seeded');
    } else if (group === 'officer' && command === 'invite') {
      const role = (values.role ?? 'officer') as OfficerRole;
      if (!values.unit) throw new Error('--unit is required (รหัสหน่วยงาน เช่น 5001, 50, MOI)');
      if (!OFFICER_ROLES.includes(role)) throw new Error(`--role must be one of ${OFFICER_ROLES.join(', ')}`);
      await seedUnits(models);
      const { code, expiresAt } = await createOfficerInvite(models, systemClock, { unitCode: values.unit, role, validDays: values.days ? Number(values.days) : undefined });
      console.log(`${code}\n(send "ลงทะเบียน ${code}" to the bot; valid until ${expiresAt.toISOString()})`);
    } else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await models.conn.close();
  }
});
