import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { DAY_MS } from './clock.ts';
import { labelSimulatedClock } from './clock-label.ts';
import { InteractionError } from './interactions.ts';
import type { Live } from './live.ts';
import type { Session } from './session.ts';
import { snapshot } from './snapshot.ts';

// The page and its API. The page is plain HTML, CSS and ES modules served as they are; the API takes
// what the person did and hands it to the session's Slack client, which signs it and sends it to the
// bot like Slack would. Nothing here reaches into the core: it only talks Slack to the bot.

export const PUBLIC_DIR = fileURLToPath(new URL('./public/', import.meta.url));

export interface Controller {
  session(): Session;
  live: Live;
  /** Wipes the playground database, seeds the demo again and starts a fresh workspace. */
  reset(): Promise<void>;
}

const persona = z.string().regex(/^[UW][A-Z0-9]+$/);
const choice = z.union([z.string(), z.array(z.string()), z.null()]);
const bodies = {
  command: z.object({ as: persona, channel: z.string(), text: z.string().max(4000) }),
  click: z.object({
    as: persona,
    place: z.union([
      z.object({ channel: z.string(), ts: z.string(), ephemeral: z.boolean() }),
      z.object({ view: z.string() }),
    ]),
    actionId: z.string(),
    choice: choice.default(null),
  }),
  submit: z.object({ as: persona, viewId: z.string(), values: z.record(choice) }),
  // What was entered when the modal was closed: Slack's view_closed carries it in view.state.
  close: z.object({ as: persona, viewId: z.string(), values: z.record(choice).default({}) }),
  home: z.object({ as: persona }),
  clock: z.object({ days: z.union([z.literal(1), z.literal(7), z.literal(30)]) }),
};

// CSP: nothing from anywhere but this server, so the page works offline and leaks nothing.
const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'";

export function playgroundRouter(ctl: Controller, log: Logger): Router {
  const router = express.Router();
  const api = express.Router();
  router.use((_req, res, next) => {
    res.setHeader('content-security-policy', CSP);
    res.setHeader('x-content-type-options', 'nosniff');
    next();
  });
  router.use(express.static(PUBLIC_DIR, { index: 'index.html', maxAge: 0 }));
  router.use('/playground/api', express.json({ limit: '256kb' }), api);
  // Only JSON is taken, so another site's plain form post (which needs no CORS preflight) changes nothing.
  api.use((req, res, next) => {
    if (req.method === 'POST' && !req.is('application/json')) {
      res.status(415).json({ ok: false, error: 'The playground API takes JSON.' });
      return;
    }
    next();
  });

  api.get('/events', ctl.live.subscribe);
  api.get('/state', async (req, res, next) => {
    try {
      const s = ctl.session();
      // Someone not among the personas (an old bookmark) sees the playground as the first persona.
      const me = s.personas.find((p) => p.id === req.query.as)?.id ?? s.personas[0]!.id;
      const { version } = ctl.live;
      const delivering = await s.delivering.read(s.deps.db);
      res.setHeader('cache-control', 'no-store');
      res.json({ version, delivering, ...snapshot(s.api, s.personas, s.channels, me, s.clock) });
    } catch (error) {
      next(error);
    }
  });

  const handle =
    <T extends z.ZodTypeAny>(schema: T, work: (body: z.infer<T>, s: Session) => Promise<unknown>) =>
    async (req: Request, res: Response, next: NextFunction) => {
      const parsed = schema.safeParse(req.body);
      if (!parsed.success) {
        res.status(400).json({ ok: false, error: 'That request was not understood.' });
        return;
      }
      try {
        res.json(await work(parsed.data, ctl.session()));
      } catch (error) {
        if (error instanceof InteractionError) {
          res.status(400).json({ ok: false, error: error.message });
          return;
        }
        next(error);
      }
    };

  api.post(
    '/command',
    handle(bodies.command, (b, s) => s.client.command(b.as, b.channel, b.text)),
  );
  api.post(
    '/click',
    handle(bodies.click, (b, s) => s.client.click(b.as, b.place, b.actionId, b.choice)),
  );
  api.post(
    '/submit',
    handle(bodies.submit, (b, s) => s.client.submit(b.as, b.viewId, b.values)),
  );
  api.post(
    '/close',
    handle(bodies.close, (b, s) => s.client.close(b.as, b.viewId, b.values)),
  );
  api.post(
    '/home',
    handle(bodies.home, (b, s) => s.client.openHome(b.as)),
  );
  api.post(
    '/clock',
    handle(bodies.clock, async (b, s) => {
      s.clock.advance(b.days * DAY_MS);
      await labelSimulatedClock(s.deps.db, s.clock, b.days, s.clock.offsetMs);
      log.info({ days: b.days, now: s.clock.now().toISOString() }, 'playground clock moved forward');
      ctl.live.changed();
      return { ok: true, now: s.clock.now().toISOString() };
    }),
  );
  api.post(
    '/triggers',
    handle(z.object({}).passthrough(), async (_b, s) => {
      const report = await s.runTriggers();
      ctl.live.changed();
      return { ok: true, at: report.at, fired: report.fired.length, messages: report.messages.length };
    }),
  );
  api.post(
    '/reset',
    handle(z.object({}).passthrough(), async () => {
      await ctl.reset();
      return { ok: true };
    }),
  );
  return router;
}
