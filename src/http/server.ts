import type { Server } from 'node:http';
import express, { type Express } from 'express';
import { sql } from 'kysely';
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';

/**
 * The one HTTP server: Slack (`/slack/events`), Teams (`/api/messages`), the signals webhook and
 * health all mount on this app. Each mount parses its own body: Slack and the webhook verify
 * signatures over the raw bytes, so no global body parser runs before them.
 */
export function createHttpApp(db: Db, log: Logger): Express {
  const app = express();
  app.disable('x-powered-by');
  app.get('/healthz', async (_req, res) => {
    try {
      await sql`select 1`.execute(db);
      res.json({ status: 'ok' });
    } catch (error) {
      log.error({ err: error }, 'health check failed: database unreachable');
      res.status(503).json({ status: 'unavailable' });
    }
  });
  return app;
}

/** Last in the chain: a 404 for unknown paths and a bare 500 that never reveals the error. */
export function finishHttpApp(app: Express, log: Logger): void {
  app.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  app.use((error: unknown, req: express.Request, res: express.Response, _next: express.NextFunction) => {
    log.error({ err: error, path: req.path }, 'unhandled HTTP error');
    if (!res.headersSent) res.status(500).json({ error: 'internal error' });
  });
}

export function listen(app: Express, port: number, host = '0.0.0.0'): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, () => resolve(server));
    server.once('error', reject);
  });
}
