import pino, { type Logger } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Fields that may hold secrets are removed by pino's
 * redaction as a second line of defence; callers pass masked data
 * (maskForLog) in the first place.
 */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env['ONEPAY_LOG_LEVEL'] ?? 'info',
      base: { svc: 'onepay' },
      redact: {
        paths: ['appsecret', '*.appsecret', 'secret', '*.secret', 'req.headers.authorization', '*.authCode'],
        censor: '[redacted]',
      },
    },
    options.destination,
  );
}
