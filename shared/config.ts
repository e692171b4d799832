import { z } from 'zod';

/** Every setting the processes read, validated once at start-up. Defaults are listed in the README. */
const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'must start with mongodb:// or mongodb+srv://'),
  REDIS_URL: z.string().regex(/^rediss?:\/\//, 'must start with redis:// or rediss://'),
  LINE_CHANNEL_SECRET: z.string().min(1, 'is required (Messaging API channel secret)'),
  LINE_CHANNEL_ACCESS_TOKEN: z.string().min(1, 'is required (Messaging API channel access token)'),
  LINE_API_BASE_URL: z.url().default('https://api.line.me'),
  LINE_DATA_API_BASE_URL: z.url().default('https://api-data.line.me'),
  /** LINE Login channel id: the audience of LIFF ID tokens. */
  LINE_LOGIN_CHANNEL_ID: z.string().default(''),
  LIFF_ID: z.string().default(''),
  /** LINE Login channel secret: the dashboard's sign-in (authorization-code flow) sends it to LINE's token endpoint. Empty: dashboard sign-in is off. */
  LINE_LOGIN_CHANNEL_SECRET: z.string().default(''),
  /**
   * Host of LINE Login's authorization page (https://access.line.me). Empty: that host for the real
   * api.line.me, otherwise LINE_API_BASE_URL (the simulator serves both).
   */
  LINE_LOGIN_BASE_URL: z.union([z.url(), z.literal('')]).default(''),
  /** Key signing dashboard session cookies (≥ 32 characters). Empty: a random key per process (sessions end at restart). */
  DASHBOARD_SESSION_SECRET: z.union([z.string().min(32, 'must be at least 32 characters'), z.literal('')]).default(''),
  PUBLIC_BASE_URL: z.url().default('http://localhost:3000'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prefix of every BullMQ key, so several deployments (or test files) can share one Redis. */
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]+$/).default('rongrian'),
  /** Webhook events are spread over this many queues by chat, each processed in order. */
  EVENT_SHARDS: z.coerce.number().int().min(1).max(64).default(4),
  /** Bearer token /metrics requires; empty: /metrics is open (keep it on a private network then). */
  METRICS_TOKEN: z.string().default(''),
  /** `production` turns on the secure defaults (e.g. /metrics needs METRICS_TOKEN or METRICS_PUBLIC=true). */
  NODE_ENV: z.string().default('development'),
  /** In production, serve /metrics without a token on purpose (it is on a private network). */
  METRICS_PUBLIC: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  /** HTTP Basic sign-in to /admin/queues (bull-board); with either empty the board is disabled. */
  ADMIN_USER: z.string().default(''),
  ADMIN_PASSWORD: z.string().default(''),
  /** Allow http:// partner webhook URLs (local testing only); production requires https. */
  /** Requests per minute one partner API key may make (Open311 + /api/v1; filing a case counts as 10). */
  PARTNER_RATE_LIMIT_PER_MIN: z.coerce.number().int().min(1).max(1_000_000).default(600),
  /** The public figures page at /figures (no sign-in, no personal data; docs/public-figures.md). Off by default: 404. */
  PUBLIC_FIGURES: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
  /** How long the public figures page is cached (Redis, and Cache-Control for browsers and proxies). */
  PUBLIC_FIGURES_CACHE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
  PARTNER_WEBHOOK_ALLOW_HTTP: z.enum(['true', 'false', '1', '0']).default('false').transform((v) => v === 'true' || v === '1'),
});

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment; throws one ConfigError whose message names each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const config = parseWith(schema, env);
  secureDefaults(config);
  return config;
}

/**
 * Settings safe on a laptop but not on the internet: refused in production unless they are explicit.
 * The web process binds 0.0.0.0, so an open /metrics would show queue depths and case counts to anyone.
 */
function secureDefaults(c: Config): void {
  if (c.NODE_ENV !== 'production') return;
  if (!c.METRICS_TOKEN && !c.METRICS_PUBLIC) {
    throw new ConfigError('Invalid configuration: METRICS_TOKEN is required in production (NODE_ENV=production): set METRICS_TOKEN to a secret bearer token, or METRICS_PUBLIC=true if /metrics is only reachable from a private network');
  }
}

/** For tools that need only some settings (the CLI needs the database, not LINE). */
export function loadConfigPart<K extends keyof Config>(keys: K[], env: Record<string, string | undefined> = process.env): Pick<Config, K> {
  const part = z.object(Object.fromEntries(keys.map((k) => [k, schema.shape[k]])));
  return parseWith(part, env) as unknown as Pick<Config, K>;
}

function parseWith<T>(s: z.ZodType<T>, env: Record<string, string | undefined>): T {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = s.safeParse(cleaned);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const name = String(i.path[0] ?? '?');
    const message = i.code === 'invalid_type' && cleaned[name] === undefined ? 'is required' : i.message;
    return `${name} ${message}`;
  });
  throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
}
