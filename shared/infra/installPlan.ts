/**
 * What the README's first command (`./run`, and `./run test`) must add to a Debian/Ubuntu machine,
 * decided from what the machine has, with no side effects: the launcher (shared/infra/launcher.ts)
 * and scripts/install-deps.sh act on the answer, the tests check the decisions without running apt.
 */

/** `start` is the demo (`./run`, `npm start`); `test` also needs what the test suite drives. */
export type InstallPurpose = 'start' | 'test';

/** What the machine has, as far as installing goes (see `detectMachine` in launcher.ts). */
export interface MachineFacts {
  redisServer: boolean;
  /** PostgreSQL's `initdb`/`postgres` (the storage of the embedded FerretDB). */
  postgres: boolean;
  mongod: boolean;
  /** The FerretDB build in the cache (scripts/build-ferretdb.sh). */
  ferretdb: boolean;
  /** Go on PATH, new enough to build FerretDB: `ok`; 1.20 or older (cannot fetch a newer toolchain): `old`. */
  go: 'ok' | 'old' | 'missing';
  /** Whether apt's `golang-go` is 1.21 or newer (Debian 13, Ubuntu 24.04; Debian 12 has 1.19). */
  aptGoRecentEnough: boolean;
  /** The system's CA bundle, which Go needs to download FerretDB's sources (minimal images lack it). */
  caCertificates: boolean;
  chromium: boolean;
  /** Whether apt offers a `chromium` package (Debian does; Ubuntu ships Chromium as a snap). */
  aptChromium: boolean;
  /** Thai glyphs (fonts-thai-tlwg): without them browser screenshots show Thai as boxes. */
  thaiFonts: boolean;
  /** A colour emoji font (fonts-noto-color-emoji): without it the problem types' icons are empty boxes in screenshots. */
  emojiFont: boolean;
  /** schemathesis already in the cache's venv; else it needs `python3 -m venv`. */
  schemathesis: boolean;
  pythonVenv: boolean;
  env: { REDIS_URL?: string; MONGODB_URI?: string; FERRETDB_HANDLER?: string };
}

export interface InstallPlan {
  /** Debian packages to install, in a stable order. */
  packages: string[];
  /** What no package fixes, for a person to do (one sentence each). */
  notes: string[];
}

export const GO_FOR_FERRETDB_NOTE =
  'FerretDB is built with Go 1.21 or newer and this machine has none (Debian 12\'s golang-go is 1.19): install Go from https://go.dev/dl/ and run again, or set MONGODB_URI to a MongoDB (docker compose up -d mongo)';

export const CHROMIUM_NOTE =
  'the browser tests drive /usr/bin/chromium and apt has no chromium package here (Ubuntu ships it as a snap): install Chromium and link it to /usr/bin/chromium, or run the tests on Debian';

export function planInstall(m: MachineFacts, purpose: InstallPurpose): InstallPlan {
  const packages: string[] = [];
  const notes: string[] = [];
  if (!m.env.REDIS_URL && !m.redisServer) packages.push('redis-server');
  const needsFerret = !m.env.MONGODB_URI && !m.mongod;
  if (needsFerret && m.env.FERRETDB_HANDLER !== 'sqlite' && !m.postgres) packages.push('postgresql');
  if (needsFerret && !m.ferretdb) {
    if (m.go !== 'ok') {
      if (m.aptGoRecentEnough) packages.push('golang-go');
      else notes.push(GO_FOR_FERRETDB_NOTE);
    }
    if (!m.caCertificates) packages.push('ca-certificates');
  }
  // The rich-menu images are committed PNGs, so `start` renders nothing: Chromium and the fonts are
  // for the browser tests only.
  if (purpose === 'test') {
    if (!m.chromium) {
      if (m.aptChromium) packages.push('chromium');
      else notes.push(CHROMIUM_NOTE);
    }
    if (!m.thaiFonts) packages.push('fonts-thai-tlwg');
    if (!m.emojiFont) packages.push('fonts-noto-color-emoji');
    if (!m.schemathesis && !m.pythonVenv) packages.push('python3-venv');
  }
  return { packages, notes };
}

export type InstallStep =
  | { kind: 'none' }
  /** Run these commands, in order (root with apt-get). */
  | { kind: 'run'; commands: string[][] }
  /** Tell the person the one command to run. */
  | { kind: 'print'; command: string };

export function installStep(packages: string[], access: { root: boolean; aptGet: boolean }): InstallStep {
  if (!packages.length) return { kind: 'none' };
  // Without apt-get (not Debian/Ubuntu) the Debian command still names what to get.
  if (!access.root || !access.aptGet) return { kind: 'print', command: `sudo apt-get install -y ${packages.join(' ')}` };
  return { kind: 'run', commands: [['apt-get', 'update', '-qq'], ['apt-get', 'install', '-y', '-qq', ...packages]] };
}
