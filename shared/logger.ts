import { pino, type DestinationStream, type Logger } from 'pino';
import { redactText } from './privacy/redact.ts';

export type { Logger };

/**
 * Structured JSON logs. Secrets and personal data are redacted by key wherever they appear,
 * so a careless `log.info({ event })` cannot leak a reply token or a citizen's phone; the text of
 * every other field and of the message goes through the free-text redactor (an error message or a
 * field under another name may quote what a citizen wrote).
 */
export function createLogger(level = process.env.LOG_LEVEL ?? 'info', name = 'rongrian', destination?: DestinationStream): Logger {
  return pino({
    name,
    level,
    redact: {
      paths: [
        '*.channelSecret', '*.channelAccessToken', '*.LINE_CHANNEL_SECRET', '*.LINE_CHANNEL_ACCESS_TOKEN',
        '*.authorization', '*.Authorization', 'req.headers.authorization', '*.replyToken', '*.idToken',
        // The web apps' secrets: LINE Login, dashboard sessions, the queue board, metrics, partner keys and webhook secrets.
        '*.LINE_LOGIN_CHANNEL_SECRET', '*.DASHBOARD_SESSION_SECRET', '*.ADMIN_PASSWORD', '*.METRICS_TOKEN',
        '*.secret', '*.apiKey', '*.api_key', '*["x-api-key"]', '*.cookie', '*.password',
        '*.phone', '*.text', '*.description', '*.displayName', '*.address', '*.latitude', '*.longitude',
        '*.*.text', '*.*.phone', '*.*.displayName', '*.*.address',
      ],
      censor: '[redacted]',
    },
    formatters: { log: (obj) => redactFields(obj, 0) as Record<string, unknown> },
    serializers: { err: (e: Error) => redactFields({ ...pino.stdSerializers.err(e) }, 0) },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
      },
    },
  }, destination);
}

/** A redacted copy of plain objects and arrays (the caller's objects are left alone); others (ids, dates, errors) as they are. */
function redactFields(v: unknown, depth: number): unknown {
  if (typeof v === 'string') return redactText(v);
  if (depth > 6 || v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => redactFields(x, depth + 1));
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = redactFields(x, depth + 1);
  return out;
}
