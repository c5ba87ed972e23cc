import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { startSlackWebApi } from '../src/playground/slack-web-api.ts';
import { type BenchSection, ms, ratio } from './measure.ts';
import { loadStoreData, NOW, VENDORS } from './store-data.ts';

// Start-up and memory of the processes an operator runs, each against a floor measured in this run:
// - the bot in Slack mode (`bin/start.js`), spawn to the first `/healthz` 200, against a process that
//   opens the same database with better-sqlite3 and answers `/healthz` from a bare HTTP server;
// - its resident memory once idle, against the same floor;
// - `vendor-risk --help` against `node -e 0`;
// - the bot's peak memory while serving `/vendor posture` over a 10,000-vendor database.

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const START = join(ROOT, 'bin/start.js');
const CLI = join(ROOT, 'bin/vendor-risk.js');
const TOKEN = 'xoxb-bench';
const SECRET = 'bench-signing-secret';
const ROUNDS = 5;

// The floor: what any Node service with SQLite and HTTP pays before doing anything of its own.
const FLOOR = `
const Database = require('better-sqlite3');
const http = require('node:http');
const db = new Database(process.env.DATABASE_URL);
const probe = db.prepare('select 1');
http.createServer((req, res) => {
  probe.get();
  res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

/** Resident and peak resident memory of a child, in MB, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? Number.NaN);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

/** CPU time a process has used so far (user + system), in ms; /proc counts in 10 ms ticks. */
function cpuMsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Waits until a process has used at most 10 ms of CPU in half a second (its start-up work is done). */
async function quiet(pid: number): Promise<void> {
  let before = cpuMsOf(pid);
  for (let i = 0; i < 240; i++) {
    await sleep(500);
    const now = cpuMsOf(pid);
    if (now - before <= 10) return;
    before = now;
  }
}

interface Started {
  child: ChildProcess;
  ms: number;
  /** CPU the process used until its first /healthz 200: the measure a loaded machine distorts least. */
  cpuMs: number;
}

/** Spawns a server and polls `/healthz` every 5 ms until it answers 200. */
async function startUntilHealthy(args: string[], env: Record<string, string>, port: number): Promise<Started> {
  const begin = process.hrtime.bigint();
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  for (;;) {
    if (exited) throw new Error(`${args.join(' ')} exited before answering /healthz`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      await res.arrayBuffer();
      if (res.status === 200) {
        return { child, ms: Number(process.hrtime.bigint() - begin) / 1e6, cpuMs: cpuMsOf(child.pid!) };
      }
    } catch {
      // not listening yet
    }
    await sleep(5);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

function timeProcess(args: string[], env: Record<string, string>): number {
  return timeAndCpu(args, env).ms;
}

/** Wall time and the CPU time (user + system) of a short process, the latter from bash's `time`. */
function timeAndCpu(args: string[], env: Record<string, string>): { ms: number; cpuMs: number } {
  const quoted = [process.execPath, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const begin = process.hrtime.bigint();
  const run = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time ${quoted} >/dev/null 2>&1`], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  const ms = Number(process.hrtime.bigint() - begin) / 1e6;
  if (run.status !== 0) throw new Error(`${args.join(' ')} exited ${run.status}`);
  const [user, system] = run.stderr.trim().split(/\s+/).slice(-2).map(Number);
  return { ms, cpuMs: ((user ?? Number.NaN) + (system ?? Number.NaN)) * 1000 };
}

/** Runs the load generator of bench/slack-http.ts against the bot and waits for it. */
function postureLoad(target: string, names: string[], requests: number): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./slack-load.ts', import.meta.url))],
    {
      stdio: ['pipe', 'ignore', 'inherit'],
    },
  );
  child.stdin.end(JSON.stringify({ target, secret: SECRET, names, users: ['UBENCH'], requests, inFlight: 20 }));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`load exited ${code}`))));
  });
}

// The bot at scale, started by the composition root as bin/start.js loads it, but on the data set's own
// clock: the data set's "today" is fixed, and the real date would make its first sweep a months-long
// catch-up instead of the daily sweep a running bot does.
const AT_SCALE = `
const root = process.argv[1];
const entry = await import(root + 'bin/entry.js');
const { loadConfig } = await entry.importEntry('src/config.ts');
const { startBot } = await entry.importEntry('src/main.ts');
const { pino } = await import('pino');
const clock = { now: () => new Date(process.env.BENCH_NOW) };
const bot = await startBot(loadConfig(), { clock, host: '127.0.0.1', log: pino({ level: 'warn' }) });
process.once('SIGTERM', () => bot.stop().then(() => process.exit(0)));
`;

/** Builds dist/ unless it is current, so the bench measures what `npm start` runs on this checkout. */
function ensureBuilt(): void {
  const check = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', "process.exit((await import('./bin/entry.js')).compiledIsCurrent() ? 0 : 1)"],
    { cwd: ROOT },
  );
  if (check.status === 0) return;
  process.stdout.write('building dist/ first (npm run build)\n');
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts/build.js')], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
}

export async function benchStartup(): Promise<BenchSection[]> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-bench-startup-'));
  const api = await startSlackWebApi({
    token: TOKEN,
    users: [{ id: 'UBENCH', name: 'bench', realName: 'Bench User', displayName: 'bench' }],
  });
  const demoDb = join(dir, 'demo.db');
  const botEnv = (databaseUrl: string, port: number): Record<string, string> => ({
    DATABASE_URL: databaseUrl,
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SLACK_BOT_TOKEN: TOKEN,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: api.url,
  });
  const cliEnv = { DATABASE_URL: demoDb, LOG_LEVEL: 'silent' };
  timeProcess([CLI, 'migrate'], cliEnv);
  timeProcess([CLI, 'seed', '--demo'], cliEnv);

  // Start-up: the bot and the floor alternately, ROUNDS times each; idle memory after a quiet second.
  const bot = { ms: [] as number[], cpu: [] as number[], rss: [] as number[] };
  const floor = { ms: [] as number[], cpu: [] as number[], rss: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [side, args, env] of [
      [floor, ['-e', FLOOR], (port: number) => ({ DATABASE_URL: demoDb, PORT: String(port) })],
      [bot, [START], (port: number) => botEnv(demoDb, port)],
    ] as const) {
      const port = await freePort();
      const started = await startUntilHealthy([...args], env(port), port);
      side.ms.push(started.ms);
      side.cpu.push(started.cpuMs);
      process.stdout.write(`  ${side === bot ? 'bot' : 'floor'} start ${ms(started.ms)} ms\n`);
      await quiet(started.child.pid!);
      side.rss.push(memoryOf(started.child.pid!).rss);
      process.stdout.write(`  ${side === bot ? 'bot' : 'floor'} idle RSS ${side.rss.at(-1)} MB\n`);
      await stop(started.child);
    }
  }

  // `--help`, interleaved with the bare runtime.
  const help = { ms: [] as number[], cpu: [] as number[] };
  const bare = { ms: [] as number[], cpu: [] as number[] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [side, args] of [
      [bare, ['-e', '0']],
      [help, [CLI, '--help']],
    ] as const) {
      const run = timeAndCpu([...args], {});
      side.ms.push(run.ms);
      side.cpu.push(run.cpuMs);
    }
    process.stdout.write(`  --help ${ms(help.ms.at(-1)!)} ms, node -e 0 ${ms(bare.ms.at(-1)!)} ms\n`);
  }

  // Peak memory at scale: the bot on the 10,000-vendor data set (it sweeps at start-up), then 1,000
  // posture lookups over signed HTTP.
  const bigDb = join(dir, 'big.db');
  timeProcess([CLI, 'migrate'], { DATABASE_URL: bigDb, LOG_LEVEL: 'silent' });
  const raw = new SqliteDatabase(bigDb);
  loadStoreData(raw);
  const names = (raw.prepare('select name from vendors order by random() limit 200').all() as { name: string }[]).map(
    (r) => r.name,
  );
  raw.close();
  const port = await freePort();
  const big = await startUntilHealthy(
    ['--input-type=module', '-e', AT_SCALE, ROOT],
    { ...botEnv(bigDb, port), BENCH_NOW: NOW },
    port,
  );
  // The start-up sweep first (the scheduler's own peak), then the peak of serving alone: writing 5 to
  // clear_refs resets the kernel's high-water mark.
  await quiet(big.child.pid!);
  const afterSweep = memoryOf(big.child.pid!);
  writeFileSync(`/proc/${big.child.pid}/clear_refs`, '5');
  await postureLoad(`http://127.0.0.1:${port}/slack/events`, names, 1_000);
  const atScale = memoryOf(big.child.pid!);
  process.stdout.write(`  at scale: RSS ${atScale.rss} MB, peak ${atScale.peak} MB\n`);
  await stop(big.child);

  await api.close();
  rmSync(dir, { recursive: true, force: true });

  const botMs = median(bot.ms);
  const floorMs = median(floor.ms);
  const botCpu = median(bot.cpu);
  const floorCpu = median(floor.cpu);
  const botRss = median(bot.rss);
  const floorRss = median(floor.rss);
  const helpMs = median(help.ms);
  const bareMs = median(bare.ms);
  const helpCpu = median(help.cpu);
  const bareCpu = median(bare.cpu);
  const met = (ok: boolean) => (ok ? 'yes' : 'NO');
  return [
    {
      title: 'Start-up and memory (separate processes, medians of 5)',
      rows: [
        {
          measure: 'bot (Slack mode, 25-vendor demo) spawn to /healthz 200',
          ours: `${ms(botMs)} ms`,
          floor: `${ms(floorMs)} ms`,
          ratio: ratio(botMs / floorMs),
          target: '≤ 1500 ms and ≤ 5x',
          met: met(botMs <= 1500 && botMs / floorMs <= 5),
        },
        {
          measure: 'bot CPU time (user + system) until that first 200',
          ours: `${ms(botCpu)} ms`,
          floor: `${ms(floorCpu)} ms`,
          ratio: ratio(botCpu / floorCpu),
          target: 'reported (less distorted by a loaded machine)',
          met: '',
        },
        {
          measure: 'bot idle RSS, once its start-up work is done',
          ours: `${botRss} MB`,
          floor: `${floorRss} MB`,
          ratio: ratio(botRss / floorRss),
          target: '≤ 120 MB',
          met: met(botRss <= 120),
        },
        {
          measure: '`vendor-risk --help`',
          ours: `${ms(helpMs)} ms`,
          floor: `${ms(bareMs)} ms (node -e 0)`,
          ratio: ratio(helpMs / bareMs),
          target: '≤ 400 ms',
          met: met(helpMs <= 400),
        },
        {
          measure: '`vendor-risk --help` CPU time',
          ours: `${ms(helpCpu)} ms`,
          floor: `${ms(bareCpu)} ms (node -e 0)`,
          ratio: ratio(helpCpu / bareCpu),
          target: 'reported',
          met: '',
        },
        {
          measure: `bot peak RSS, ${VENDORS} vendors, serving 1000 posture lookups (after its start-up sweep)`,
          ours: `${atScale.peak} MB`,
          floor: `${floorRss} MB (idle floor)`,
          ratio: ratio(atScale.peak / floorRss),
          target: '≤ 150 MB',
          met: met(atScale.peak <= 150),
        },
        {
          measure: `bot peak RSS, ${VENDORS} vendors, through its first sweep of the day`,
          ours: `${afterSweep.peak} MB`,
          floor: `${floorRss} MB (idle floor)`,
          ratio: ratio(afterSweep.peak / floorRss),
          target: "reported (the scheduler's sweep)",
          met: '',
        },
      ],
      notes: [
        'The floor is a Node process that opens the same SQLite file with better-sqlite3 and answers /healthz',
        'from node:http after a `select 1`: what any service of this shape pays before its own code.',
        'The bot runs as `npm start` runs it (bin/start.js, compiled output), against the local Slack Web API',
        'stand-in (auth.test at start-up), with LOG_LEVEL=warn. /healthz is polled every 5 ms from spawn.',
        'Memory is VmRSS / VmHWM from /proc of the child process; idle means it used at most 10 ms of CPU in 0.5 s.',
        'CPU times come from /proc (bot, floor) and bash `time` (--help, node -e 0): on a shared, loaded machine',
        'wall times stretch with the load, CPU times much less.',
      ],
    },
  ];
}
