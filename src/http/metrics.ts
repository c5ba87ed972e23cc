import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { sql } from 'kysely';
import type { Clock } from '../core/common/clock.ts';
import { ACTIVE_STATES } from '../core/findings/states.ts';
import type { DeliveryObserver } from '../delivery/relay.ts';
import { WAITING_FOR_INSTALL } from '../delivery/waiting.ts';
import type { Db } from '../store/database.ts';

// The one metrics registry, served at `GET /metrics` in Prometheus' text format. prom-client is imported
// only when the bot starts its server, never by the CLI. Counters are fed by the HTTP middleware and the
// relay (through its observer); what the store already knows (outbox depth, dead letters, open findings)
// is read from it at scrape time, so a restart never resets it and nothing has to be kept in step.

export const METRICS_PATH = '/metrics';

/** Routes named in the latency histogram; anything else is `other`, so a scanner cannot grow the label set. */
const ROUTES = ['/slack/events', '/api/messages', '/signals', '/healthz', '/readyz', METRICS_PATH];

export interface Metrics {
  /** First middleware: times every request by route, method and status. */
  timeRequests: RequestHandler;
  /** `GET /metrics`. */
  serve: RequestHandler;
  delivery: DeliveryObserver;
}

export function routeOf(path: string): string {
  return ROUTES.find((route) => path === route || path.startsWith(`${route}/`)) ?? 'other';
}

export async function createMetrics(db: Db, clock: Clock): Promise<Metrics> {
  // The CommonJS module itself, as `default`: the one shape Node and the bundle (scripts/build.js) agree on.
  const { default: client } = await import('prom-client');
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  const requests = new client.Histogram({
    name: 'vendor_risk_http_request_duration_seconds',
    help: 'HTTP request latency by route, method and status code',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const attempts = new client.Counter({
    name: 'vendor_risk_delivery_attempts_total',
    help: 'Outbox send attempts by platform and result (sent, skipped, rate_limited = a 429, retry, waiting = for a Teams install, dead, lost_lease, error)',
    labelNames: ['platform', 'result'] as const,
    registers: [registry],
  });

  // Where a message waits for the app to be installed, so do the ones queued behind it.
  const waitingTargets = () =>
    db
      .selectFrom('outbox')
      .select('target')
      .where('status', '=', 'pending')
      .where('last_error', 'like', `${WAITING_FOR_INSTALL}%`);
  /** Outbox rows in one status, optionally only those for the given targets. */
  const countOutbox = async (status: 'pending' | 'dead', targets?: ReturnType<typeof waitingTargets>) => {
    let query = db
      .selectFrom('outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('status', '=', status);
    if (targets) query = query.where('target', 'in', targets);
    return Number((await query.executeTakeFirst())?.n ?? 0);
  };
  new client.Gauge({
    name: 'vendor_risk_outbox_pending',
    help: 'Outbox messages waiting to be sent (due now or later)',
    registers: [registry],
    async collect() {
      this.set(await countOutbox('pending'));
    },
  });
  new client.Gauge({
    name: 'vendor_risk_outbox_oldest_pending_age_seconds',
    help: 'Age of the oldest message still waiting to be sent, 0 when none waits (messages waiting for a Teams install, and those behind them, not counted)',
    registers: [registry],
    async collect() {
      const row = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.min<string | null>('created_at').as('oldest'))
        .where('status', '=', 'pending')
        .where('target', 'not in', waitingTargets())
        .executeTakeFirst();
      const oldest = row?.oldest ? Date.parse(row.oldest) : null;
      this.set(oldest === null ? 0 : Math.max(0, (clock.now().getTime() - oldest) / 1000));
    },
  });
  new client.Gauge({
    name: 'vendor_risk_outbox_waiting_for_install',
    help: 'Messages for a Teams conversation the bot is not installed in yet; dead after teamsInstallWaitDays',
    registers: [registry],
    async collect() {
      this.set(await countOutbox('pending', waitingTargets()));
    },
  });
  new client.Gauge({
    name: 'vendor_risk_outbox_dead',
    help: 'Messages given up on after their last attempt (dead letters); admins were told of each',
    registers: [registry],
    async collect() {
      this.set(await countOutbox('dead'));
    },
  });
  new client.Gauge({
    name: 'vendor_risk_findings_open',
    help: 'Findings not yet resolved or accepted, by severity',
    labelNames: ['severity'] as const,
    registers: [registry],
    async collect() {
      const rows = await db
        .selectFrom('findings')
        .select(['severity', sql<number>`count(*)`.as('n')])
        .where('state', 'in', [...ACTIVE_STATES])
        .groupBy('severity')
        .execute();
      this.reset();
      for (const row of rows) this.set({ severity: row.severity }, Number(row.n));
    },
  });

  return {
    timeRequests(req: Request, res: Response, next: NextFunction) {
      const end = requests.startTimer({ route: routeOf(req.path), method: req.method });
      res.once('finish', () => end({ status: String(res.statusCode) }));
      next();
    },
    serve(_req: Request, res: Response, next: NextFunction) {
      registry.metrics().then((text) => {
        res.type(registry.contentType).send(text);
      }, next);
    },
    delivery: {
      attempted(platform, outcome) {
        attempts.inc({ platform, result: outcome });
      },
    },
  };
}
