import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls';
import { generate } from 'selfsigned';
import { closedPort, closeServer, trackSockets } from './exposure-stand-ins.ts';

// Real servers the exposure tests start on loopback and always stop: a PostgreSQL cluster that requires
// a password, a Redis with requirepass, and TLS servers with certificates made for the test. (The
// machine's own PostgreSQL, trust authentication, and Redis, no password, are the "open" ones.)

async function waitForPort(port: number, child: ChildProcess, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`${what} exited with ${child.exitCode}`);
    const up = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1', () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not listen on ${port}`);
}

export interface RunningServer {
  port: number;
  stop(): Promise<void>;
}

export async function startRedisWithPassword(password: string): Promise<RunningServer> {
  const port = await closedPort();
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--requirepass', password, '--save', '', '--appendonly', 'no'],
    {
      stdio: 'ignore',
    },
  );
  await waitForPort(port, child, 'redis-server');
  return {
    port,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** The PostgreSQL server binaries: the newest of the distribution's versioned folders, or PATH. */
function postgresBin(tool: string): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
    for (const v of versions) if (existsSync(join(root, v, 'bin', tool))) return join(root, v, 'bin', tool);
  }
  return tool;
}

/** initdb and postgres refuse to run as root; as root, run them as the `postgres` system user. */
function asPostgres(tool: string, args: string[]): [string, string[]] {
  return process.getuid?.() === 0
    ? ['runuser', ['-u', 'postgres', '--', postgresBin(tool), ...args]]
    : [postgresBin(tool), args];
}

/** Listening is not accepting: the server refuses sessions while it starts up. */
async function waitUntilReady(port: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      execFileSync(postgresBin('pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`postgres on ${port} did not become ready`);
}

/** A throwaway cluster whose only way in is a SCRAM password: initdb, start, and delete on stop. */
export async function startPostgresWithPassword(): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'vendor-risk-pg-'));
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? Number(execFileSync('id', ['-u', 'postgres']).toString().trim()) : null;
  if (owner !== null) chownSync(dir, owner, -1);
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, 'not-given-to-the-probe\n');
  if (owner !== null) chownSync(pwfile, owner, -1);
  const data = join(dir, 'data');
  const [initdb, initArgs] = asPostgres('initdb', [
    '-D',
    data,
    '-A',
    'scram-sha-256',
    '-U',
    'postgres',
    `--pwfile=${pwfile}`,
    '--no-sync',
  ]);
  execFileSync(initdb, initArgs, { stdio: 'ignore' });
  const port = await closedPort();
  const [postgres, args] = asPostgres('postgres', [
    '-D',
    data,
    '-p',
    String(port),
    '-k',
    dir,
    '-c',
    'listen_addresses=127.0.0.1',
    '-c',
    'fsync=off',
  ]);
  const child = spawn(postgres, args, { stdio: 'ignore' });
  try {
    await waitForPort(port, child, 'postgres');
    await waitUntilReady(port);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        const [pgCtl, stopArgs] = asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']);
        execFileSync(pgCtl, stopArgs, { stdio: 'ignore' });
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestCertificates {
  ca: string;
  valid: { key: string; cert: string };
  expired: { key: string; cert: string };
  selfSigned: { key: string; cert: string };
  otherHost: { key: string; cert: string };
  expiringSoon: { key: string; cert: string };
}

const DAY = 86_400_000;

/** A test CA and leaf certificates for localhost/127.0.0.1 signed by it, valid or not in each way. */
export async function makeCertificates(now: Date): Promise<TestCertificates> {
  const caPems = await generate([{ name: 'commonName', value: 'Vendor Risk Test CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 400 * DAY),
    notAfterDate: new Date(now.getTime() + 400 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    ],
  });
  const ca = { key: caPems.private, cert: caPems.cert };
  const leaf = async (cn: string, from: number, to: number, signed = true) => {
    const pems = await generate([{ name: 'commonName', value: cn }], {
      keySize: 2048,
      algorithm: 'sha256',
      notBeforeDate: new Date(now.getTime() + from * DAY),
      notAfterDate: new Date(now.getTime() + to * DAY),
      ...(signed ? { ca } : {}),
    });
    return { key: pems.private, cert: pems.cert };
  };
  return {
    ca: ca.cert,
    valid: await leaf('localhost', -10, 200),
    expired: await leaf('localhost', -100, -3),
    selfSigned: await leaf('localhost', -10, 200, false),
    otherHost: await leaf('elsewhere.example', -10, 200),
    expiringSoon: await leaf('localhost', -300, 12),
  };
}

export async function startTlsServer(
  pair: { key: string; cert: string },
  versions: { minVersion?: 'TLSv1' | 'TLSv1.2'; maxVersion?: 'TLSv1.1' | 'TLSv1.3' } = {},
): Promise<RunningServer> {
  const server: TlsServer = createTlsServer({
    key: pair.key,
    cert: pair.cert,
    ...versions,
    ...(versions.maxVersion === 'TLSv1.1' ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
  });
  trackSockets(server);
  server.on('secureConnection', (socket) => socket.end());
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    stop: () => closeServer(server),
  };
}
