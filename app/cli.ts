import { parseArgs } from 'node:util';
import { systemClock } from '../shared/clock.ts';
import { ConfigError, loadConfigPart } from '../shared/config.ts';
import { connectDb } from '../shared/models/index.ts';
import { seedUnits } from '../shared/units/seed.ts';
import { connectMigrated, dbStatus, migrateNow, stderrLog } from './migrate.ts';
import { createOfficerInvite, OFFICER_ROLES, type OfficerRole } from '../shared/officers/invites.ts';
import { createGroupCode } from '../shared/supervision/groups.ts';
import { toBangkokIso, unitChain } from '../shared/sla/deadlines.ts';
import { explainCase, explainPolicy } from '../shared/sla/explain.ts';
import { loadCalendar, loadSlaContext, loadSlaPolicy } from '../shared/sla/load.ts';
import { runMain } from './main.ts';
import { exchangeCommand, EXCHANGE_USAGE } from '../exchange/cli.ts';
import { importCommand, reportCommand, REPORT_USAGE } from '../shared/reports/cli.ts';
import { templatesCommand, TEMPLATES_USAGE } from '../shared/templatesCli.ts';
import { retentionCommand, RETENTION_USAGE } from '../shared/privacy/retentionCli.ts';
import { agenciesCommand, AGENCIES_USAGE } from '../shared/agencies/cli.ts';

const USAGE = `Usage: npm run cli -- <command>
  db migrate
      collections, indexes, the unit seed (and FerretDB's missing SQLite/PostgreSQL indexes), once, under a lock;
      web, worker and the other commands also run it when the database is behind (safe to repeat)
  db status
      the schema version stored in the database and whether this code would migrate it (exit 1 if so)
  officer invite --unit <code> --role officer|head|executive|admin [--days 7]
      prints a one-time code; the person sends "ลงทะเบียน <code>" to the bot
  group code --unit <code> [--hours 24]
      prints a one-time code; in the unit's LINE group (with the bot invited) send "เชื่อมกลุ่ม <code>"
  units seed
      creates the ministry, 77 provincial and 878 district centres (safe to repeat)
  sla due --from <ISO datetime> --working-days N
      the due datetime (+07:00) N working days after --from (no database; a time without offset is Bangkok time)
  sla explain <trackingNo>
      each deadline of the case, the rule behind it and the holidays/weekends skipped
  sla policy --unit <code>
      the effective SLA policy of a unit (config/sla-policy.json over the defaults)
${EXCHANGE_USAGE}
${REPORT_USAGE}
${TEMPLATES_USAGE}
${RETENTION_USAGE}
${AGENCIES_USAGE}
  deadletter list [--all] | deadletter redrive <id>
      events set aside after their retries, with the reason; redrive puts one back on its chat's queue`;

/** Bad arguments to an `sla` command: printed as one line, like a configuration error, not a stack. */
class UsageError extends ConfigError {
  override name = 'UsageError';
}

/** An ISO datetime; without an offset it is read as Bangkok time, the only time officers think in. */
function parseFrom(s: string | undefined): Date {
  if (!s) throw new UsageError('--from is required, e.g. --from 2026-04-09T09:00:00+07:00 / ต้องระบุ --from');
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) || !s.includes('T') ? s : `${s}+07:00`;
  const d = new Date(/T/.test(withZone) ? withZone : `${withZone}T00:00:00+07:00`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(s) || Number.isNaN(d.getTime())) throw new UsageError(`--from: not an ISO datetime: ${JSON.stringify(s)} / รูปแบบวันเวลาไม่ถูกต้อง`);
  return d;
}

/** `sla …` commands that need no database. Returns false when the command needs one. */
function slaWithoutDb(command: string | undefined, values: Record<string, string | undefined>): boolean {
  if (command === 'due') {
    const n = Number(values['working-days']);
    if (values['working-days'] === undefined || !Number.isFinite(n) || n < 0) throw new UsageError('--working-days must be a number ≥ 0 / ต้องระบุจำนวนวันทำการ');
    console.log(toBangkokIso(loadCalendar().addWorkingDays(parseFrom(values.from), n)));
    return true;
  }
  return false;
}

runMain(async () => {
  const argv = process.argv.slice(2);
  const [group, command] = argv;
  // Loaded on use: it brings BullMQ, which the other commands do not need to start.
  // Response templates live in a file, not the database.
  if (group === 'templates') { process.exitCode = templatesCommand(argv.slice(1)); return; }
  if (group === 'deadletter') { process.exitCode = await (await import('./deadLetterCli.ts')).deadLetterCommand(argv.slice(1)); return; }
  if (group === 'report' || group === 'import' || group === 'retention' || group === 'agencies') {
    // Connected only once the arguments are known to be good: a typo is reported at once.
    let models: Awaited<ReturnType<typeof connectDb>> | undefined;
    const db = async () => (models ??= await connectMigrated(loadConfigPart(['MONGODB_URI']).MONGODB_URI));
    try {
      process.exitCode = group === 'report' ? await reportCommand(db, argv.slice(1))
        : group === 'retention' ? await retentionCommand(db, argv.slice(1))
        : group === 'agencies' ? await agenciesCommand(db, argv.slice(1))
        : await importCommand(db, argv.slice(1));
    } finally {
      await models?.conn.close();
    }
    return;
  }
  const { values } = parseArgs({ args: argv.slice(2), options: { unit: { type: 'string' }, role: { type: 'string' }, days: { type: 'string' }, hours: { type: 'string' }, from: { type: 'string' }, 'working-days': { type: 'string' }, name: { type: 'string' }, key: { type: 'string' }, url: { type: 'string' }, events: { type: 'string' } }, allowPositionals: true });
  if (!group || group === 'help' || group === '--help') { console.log(USAGE); return; }
  if (group === 'sla' && slaWithoutDb(command, values)) return;
  if (group === 'sla' && command === 'policy') {
    if (!values.unit) throw new UsageError('--unit is required (รหัสหน่วยงาน เช่น 5001, 50, MOI)');
    const policy = loadSlaPolicy();
    let chain = await unitChain(values.unit);
    // A partner agency is not in the fixed tree: its parent is in the database, if there is one.
    if (chain.length === 1 && values.unit !== 'MOI' && process.env.MONGODB_URI) {
      const models = await connectMigrated(loadConfigPart(['MONGODB_URI']).MONGODB_URI);
      try { chain = await unitChain(values.unit, models); } finally { await models.conn.close(); }
    }
    console.log(explainPolicy(policy, chain).join('\n'));
    return;
  }
  const { MONGODB_URI } = loadConfigPart(['MONGODB_URI']);
  if (group === 'db') {
    const models = await connectDb(MONGODB_URI);
    try {
      if (command === 'migrate') {
        const r = await migrateNow(models, { log: stderrLog });
        console.log(`database ${models.conn.db!.databaseName} migrated in ${r.ms} ms${r.waitedMs > 100 ? ` (waited ${r.waitedMs} ms for another migration)` : ''}: `
          + `${r.collections} collections and ${r.indexes} indexes created, ${r.units} units seeded${r.sqliteIdIndexes ? `, ${r.sqliteIdIndexes} FerretDB/SQLite _id indexes` : ''}${r.postgresIndexes ? `, ${r.postgresIndexes} FerretDB/PostgreSQL GIN indexes` : ''}`);
      } else if (command === 'status') {
        const s = await dbStatus(models);
        console.log(JSON.stringify({ database: models.conn.db!.databaseName, code: { version: s.version, fingerprint: s.fingerprint }, stored: s.stored, upToDate: s.upToDate, lock: s.lock }, null, 2));
        if (!s.upToDate) process.exitCode = 1;
      } else {
        console.error(USAGE);
        process.exitCode = 2;
      }
    } finally {
      await models.conn.close();
    }
    return;
  }
  const models = await connectMigrated(MONGODB_URI);
  try {
    if (group === 'units' && command === 'seed') {
      // The migration seeds them on a new database; this puts back any removed since.
      const n = await seedUnits(models);
      console.log(n ? `seeded ${n} units` : 'units already seeded');
    } else if (group === 'officer' && command === 'invite') {
      const role = (values.role ?? 'officer') as OfficerRole;
      if (!values.unit) throw new Error('--unit is required (รหัสหน่วยงาน เช่น 5001, 50, MOI)');
      if (!OFFICER_ROLES.includes(role)) throw new Error(`--role must be one of ${OFFICER_ROLES.join(', ')}`);
      const { code, expiresAt } = await createOfficerInvite(models, systemClock, { unitCode: values.unit, role, validDays: values.days ? Number(values.days) : undefined });
      console.log(`${code}\n(send "ลงทะเบียน ${code}" to the bot; valid until ${expiresAt.toISOString()})`);
    } else if (group === 'group' && command === 'code') {
      if (!values.unit) throw new UsageError('--unit is required (รหัสหน่วยงาน เช่น 5001, 50, MOI)');
      const { code, expiresAt } = await createGroupCode(models, systemClock, { unitCode: values.unit, createdBy: 'cli', validHours: values.hours ? Number(values.hours) : undefined });
      console.log(`${code}\n(invite the bot to the unit's LINE group and send "เชื่อมกลุ่ม ${code}" there; valid until ${expiresAt.toISOString()})`);
    } else if ((group === 'apikey' || group === 'webhook') && await exchangeCommand(models, group, command, argv[2], values)) {
      // done (exchange/cli.ts)
    } else if (group === 'sla' && command === 'explain') {
      const trackingNo = argv[2];
      if (!trackingNo) throw new UsageError('usage: sla explain <trackingNo> / ต้องระบุเลขรับเรื่อง');
      const ctx = loadSlaContext();
      const c = await models.Case.findOne({ trackingNo }).lean();
      if (!c) {
        console.error(`ไม่พบเรื่องเลขที่ ${trackingNo} / no case ${trackingNo}`);
        process.exitCode = 1;
      } else {
        console.log(explainCase(c, ctx, await unitChain(c.unitCode, models)).join('\n'));
      }
    } else {
      console.error(USAGE);
      process.exitCode = 2;
    }
  } finally {
    await models.conn.close();
  }
});
