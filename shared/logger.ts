import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Secrets and personal data are redacted by key wherever they appear,
 * so a careless `log.info({ event })` cannot leak a reply token or a citizen's phone.
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
  }, destination);
}
