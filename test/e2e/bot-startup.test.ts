import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';

// `npm start` as an operator meets it: bin/start.js in its own process (running the current sources, see
// bin/entry.js). A start that cannot succeed says why in one line on stderr and exits non-zero; a
// running bot stops cleanly on SIGTERM.

const START = fileURLToPath(new URL('../../bin/start.js', import.meta.url));
const TOKEN = 'xoxb-startup';
const SLOW = 60_000;

interface Exit {
  code: number | null;
  stderr: string;
}

let dir: string;
let api: SlackWebApi;

function botEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    DATABASE_URL: join(dir, `bot-${Math.random().toString(36).slice(2)}.db`),
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: 'startup-signing-secret',
    SLACK_API_URL: api.url,
    ...extra,
  };
}

/** Starts the bot; `whenListening` runs once /healthz answers (then the bot is expected to exit). */
function runBot(env: Record<string, string>, whenListening?: (pid: number) => void): Promise<Exit> {
  const child = spawn(process.execPath, [START], { env: botEnv(env), stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  if (whenListening) {
    const poll = async () => {
      while (child.exitCode === null) {
        const ok = await fetch(`http://127.0.0.1:${env.PORT}/healthz`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) return whenListening(child.pid!);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    void poll();
  }
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

function listenAnywhere(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '0.0.0.0', () => resolve(server));
  });
}

const portOf = (server: Server) => (server.address() as { port: number }).port;

async function freePort(): Promise<number> {
  const server = await listenAnywhere();
  const port = portOf(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The whole of stderr is one line, with no stack trace. */
function oneLine(stderr: string): string {
  const lines = stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(stderr).not.toMatch(/^\s+at /m);
  return lines[0] ?? '';
}

describe('starting the bot process', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vendor-risk-startup-'));
    api = await startSlackWebApi({ token: TOKEN });
  });

  afterAll(async () => {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it(
    'names a bot token Slack refuses, in one line, and exits 1',
    async () => {
      const exit = await runBot({ PORT: String(await freePort()), SLACK_BOT_TOKEN: 'xoxb-revoked' });
      expect(exit.code).toBe(1);
      expect(oneLine(exit.stderr)).toBe(
        "vendor-risk could not start: Slack refused SLACK_BOT_TOKEN (invalid_auth): check the token in the app's settings",
      );
    },
    SLOW,
  );

  it(
    'says Slack could not be reached when nothing answers at its address',
    async () => {
      const closed = await freePort();
      const exit = await runBot({ PORT: String(await freePort()), SLACK_API_URL: `http://127.0.0.1:${closed}/api/` });
      expect(exit.code).toBe(1);
      expect(oneLine(exit.stderr)).toMatch(
        new RegExp(
          `^vendor-risk could not start: Slack's Web API at http://127\\.0\\.0\\.1:${closed}/api/ could not be reached`,
        ),
      );
    },
    SLOW,
  );

  it(
    'says the port is taken',
    async () => {
      const taken = await listenAnywhere();
      try {
        const exit = await runBot({ PORT: String(portOf(taken)) });
        expect(exit.code).toBe(1);
        expect(oneLine(exit.stderr)).toBe(
          `vendor-risk could not start: port ${portOf(taken)} is already in use (set PORT to a free one)`,
        );
      } finally {
        await new Promise((resolve) => taken.close(resolve));
      }
    },
    SLOW,
  );

  it(
    'names every setting that is wrong',
    async () => {
      const exit = await runBot({ SLACK_BOT_TOKEN: 'not-a-token', BOT_TIMEZONE: 'Mars/Olympus' });
      expect(exit.code).toBe(1);
      const line = oneLine(exit.stderr);
      expect(line).toMatch(/^vendor-risk could not start: /);
      expect(line).toMatch(/SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
      expect(line).toMatch(/BOT_TIMEZONE is not an IANA time zone/);
    },
    SLOW,
  );

  it(
    'stops cleanly on SIGTERM once listening',
    async () => {
      const port = await freePort();
      const exit = await runBot({ PORT: String(port) }, (pid) => process.kill(pid, 'SIGTERM'));
      expect(exit.code).toBe(0);
      expect(exit.stderr).toBe('SIGTERM received, shutting down\n');
    },
    SLOW,
  );
});
