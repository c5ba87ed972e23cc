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

export type { Logger };
