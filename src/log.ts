import { type Logger, pino } from 'pino';

/** Structured logs on stdout. Secrets never reach them: tokens and auth headers are redacted by path. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: {
        paths: [
          'token',
          '*.token',
          'headers.authorization',
          '*.headers.authorization',
          'headers["x-slack-signature"]',
          'config.slack.botToken',
          'config.slack.signingSecret',
          'config.slack.appToken',
          'config.teams.appPassword',
          'password',
          '*.password',
        ],
        censor: '[redacted]',
      },
    },
    destination,
  );
}

/**
 * The logger of a long-running process: JSON lines for a log collector, or, on a terminal (or when
 * asked), pino-pretty's readable lines. pino-pretty is imported only then; it writes synchronously, so
 * the last lines before an exit are not lost.
 */
export async function createConsoleLogger(level: string, format: 'auto' | 'json' | 'pretty'): Promise<Logger> {
  const pretty = format === 'pretty' || (format === 'auto' && process.stdout.isTTY === true);
  if (!pretty) return createLogger(level);
  const { default: prettyStream } = await import('pino-pretty');
  return createLogger(
    level,
    prettyStream({
      colorize: process.stdout.isTTY === true,
      sync: true,
      ignore: 'pid,hostname',
      translateTime: 'SYS:HH:MM:ss.l',
    }),
  );
}

export type { Logger };
