import { createServer, type Server } from 'node:http';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import type { Db } from '../store/database.ts';
import { METRICS_PATH, type Metrics } from './metrics.ts';
import { databaseCheck, type ReadinessCheck, readiness } from './readiness.ts';

export interface HttpAppOptions {
  /** What `/readyz` asks; the database alone unless the caller adds platform checks (the array may grow later). */
  checks?: ReadinessCheck[];
  /** Times every request and serves `GET /metrics`; no metrics without it. */
  metrics?: Metrics;
}

/**
 * The one HTTP server: Slack (`/slack/events`), Teams (`/api/messages`), the signals webhook, health,
 * readiness and metrics all mount on this app. Each mount parses its own body: Slack and the webhook
 * verify signatures over the raw bytes, so no global body parser runs before them.
 */
export function createHttpApp(db: Db, log: Logger, options: HttpAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  const checks = options.checks ?? [databaseCheck(db)];
  if (options.metrics) app.use(options.metrics.timeRequests);
  // Alive: the process answers. Orchestrators restart on this, so it must not depend on the database.
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready: worth sending traffic to. 503 names the failing check; the reason goes to the log only.
  app.get('/readyz', async (_req, res) => {
    const state = await readiness(checks);
    if (!state.ready) log.warn({ reasons: state.reasons }, 'not ready');
    res.status(state.ready ? 200 : 503).json({ status: state.ready ? 'ready' : 'unavailable', checks: state.checks });
  });
  if (options.metrics) app.get(METRICS_PATH, options.metrics.serve);
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
    const server = createServer(app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
