import type { Application, TeamsAdapter } from '@microsoft/teams-ai';
import type { Activity, TurnContext } from 'botbuilder';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { TeamsConfig } from '../config.ts';
import { envelopeProblem } from './activity-guard.ts';
import { isLoopbackUrl } from './anonymous-dev.ts';
import { createInboundAuthenticator } from './inbound-auth.ts';

// POST /api/messages. With an app id, the token is checked first (inbound-auth.ts: any bad token is
// 401 with nothing stored), then the activity's envelope (activity-guard.ts: 400 when malformed), and
// botbuilder checks the token again before our logic runs; the logic then serves only allowed tenants. The response goes
// through a small recorder so that a refused tenant is answered 403 (botbuilder itself would say 200)
// and a failure is answered without botbuilder's error text (it echoes the exception message).

/** The tenant an activity comes from: Teams puts it in channelData, newer payloads on the conversation too. */
export function tenantOf(activity: Pick<Activity, 'channelData' | 'conversation'>): string | null {
  const fromChannel = (activity.channelData as { tenant?: { id?: unknown } } | undefined)?.tenant?.id;
  const id = typeof fromChannel === 'string' ? fromChannel : activity.conversation?.tenantId;
  return id?.trim() ? id.trim().toLowerCase() : null;
}

/** Anonymous dev mode: no app id, explicitly allowed. Nothing is authenticated then. */
export function isAnonymousDev(config: TeamsConfig): boolean {
  return !config.appId && config.allowAnonymousDev;
}

/** Only listed tenants are served; an empty list serves nobody, except in anonymous dev mode. */
export function tenantAllowed(config: TeamsConfig, tenant: string | null): boolean {
  if (config.allowedTenants.length === 0) return isAnonymousDev(config);
  return tenant !== null && config.allowedTenants.some((t) => t.trim().toLowerCase() === tenant);
}

export interface EndpointOptions {
  config: TeamsConfig;
  adapter: TeamsAdapter;
  application: Application;
  log: Logger;
}

export function createEndpoint(options: EndpointOptions): (req: Request, res: Response) => Promise<void> {
  const { config, adapter, application, log } = options;
  const authenticate = isAnonymousDev(config) ? null : createInboundAuthenticator(config);
  return async (req, res) => {
    if (authenticate) {
      const verdict = await authenticate(req.body, req.headers.authorization);
      if (!verdict.ok) {
        const type = typeof req.body?.type === 'string' ? req.body.type.slice(0, 40) : undefined;
        if (verdict.status === 503) log.error({ type }, `Teams request not served: ${verdict.reason}`);
        else log.warn({ type, reason: verdict.reason }, 'Teams request refused: not authenticated');
        res.status(verdict.status).json({ error: verdict.status === 401 ? 'unauthorized' : 'unavailable' });
        return;
      }
    }
    const malformed = envelopeProblem(req.body);
    if (malformed) {
      log.warn({ reason: malformed }, 'Teams request refused: the activity is malformed');
      res.status(400).json({ error: 'malformed_activity' });
      return;
    }
    const recorder = new ResponseRecorder(res);
    let refused = false;
    const logic = async (context: TurnContext): Promise<void> => {
      if (isAnonymousDev(config) && !isLoopbackUrl(context.activity.serviceUrl)) {
        refused = true;
        log.warn(
          { type: context.activity.type },
          'Teams request refused: anonymous dev mode answers only loopback serviceUrls',
        );
        return;
      }
      const tenant = tenantOf(context.activity);
      if (!tenantAllowed(config, tenant)) {
        refused = true;
        const why = config.allowedTenants.length === 0 ? 'TEAMS_ALLOWED_TENANTS is empty' : 'tenant is not listed';
        log.warn({ tenant, type: context.activity.type }, `Teams request refused: ${why}`);
        return;
      }
      await application.run(context);
    };
    try {
      await adapter.process(req, recorder, logic);
    } catch (error) {
      log.error({ err: error }, 'Teams request failed before it reached the bot');
      recorder.status(500);
    }
    recorder.finish(refused);
  };
}

/** Collects what botbuilder answers, then writes it (or our correction of it) to the real response. */
class ResponseRecorder {
  readonly #res: Response;
  /** botbuilder's Response shape asks for it; nothing reads it over plain HTTP. */
  readonly socket: unknown = null;
  #status = 200;
  #body: unknown;

  constructor(res: Response) {
    this.#res = res;
  }

  status(code: number): this {
    this.#status = code;
    return this;
  }

  send(...args: unknown[]): this {
    this.#body = args[0];
    return this;
  }

  header(name: string, value: unknown): this {
    this.#res.setHeader(name, String(value));
    return this;
  }

  end(): this {
    return this;
  }

  finish(refusedTenant: boolean): void {
    if (this.#res.headersSent) return;
    if (refusedTenant) {
      this.#res.status(403).json({ error: 'tenant_not_allowed' });
    } else if (this.#status === 401) {
      this.#res.status(401).json({ error: 'unauthorized' });
    } else if (this.#status >= 500) {
      this.#res.status(this.#status).json({ error: 'internal_error' });
    } else if (this.#body === undefined) {
      this.#res.status(this.#status).end();
    } else if (typeof this.#body === 'string') {
      this.#res.status(this.#status).type('text/plain').send(this.#body);
    } else {
      this.#res.status(this.#status).json(this.#body);
    }
  }
}
