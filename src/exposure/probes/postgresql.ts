import { networkError, notReached, type Probe, someNames, withDeadline } from '../probe.ts';

// PostgreSQL: a startup as the conventional superuser name, with no password to give. If the server
// asks for one, it is protected; if it accepts the startup (trust authentication), anyone can sign in.
// The password callback refuses, so no password from the environment or a .pgpass file is ever sent.
// When a session opens, only the server version and the database names are read.

// pg is imported by the probe itself: a bot that never checks a PostgreSQL host never loads it.

const ASKED = 'startup as "postgres" without a password';
const PROBE_USER = 'postgres';

class PasswordRequested extends Error {}

export const probePostgresql: Probe = async (target, options) => {
  const { default: pg } = await import('pg');
  let authenticated = false;
  const client = new pg.Client({
    host: target.address,
    port: target.port,
    user: PROBE_USER,
    database: 'postgres',
    password: () => {
      throw new PasswordRequested('the server asked for a password');
    },
    connectionTimeoutMillis: options.timeoutMs,
    statement_timeout: options.timeoutMs,
    application_name: 'vendor-risk exposure check',
  });
  // Trust authentication is decided before the role is looked up: a server that accepts the startup
  // and then says the role does not exist has still let an anonymous caller in.
  client.connection.once('authenticationOk', () => {
    authenticated = true;
  });
  client.on('error', () => undefined);
  const base = { check: 'postgresql' as const, asked: ASKED, reached: true, facts: {} };
  try {
    await withDeadline(options.timeoutMs, client.connect(), () => void client.end().catch(() => undefined));
  } catch (error) {
    await client.end().catch(() => undefined);
    if (error instanceof PasswordRequested) {
      return { ...base, access: 'protected', answered: 'the server asked for a password' };
    }
    if (authenticated) {
      return {
        ...base,
        access: 'open',
        facts: { product: 'PostgreSQL' },
        answered: `startup accepted without a password, then: ${networkError(error)}`,
      };
    }
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^28/.test(code)) {
      // 28000/28P01: no pg_hba.conf entry, or authentication failed: the door is shut to us.
      return { ...base, access: 'protected', answered: `startup refused (${networkError(error)})` };
    }
    return notReached('postgresql', ASKED, error);
  }
  try {
    const version = await client.query<{ server_version: string }>('show server_version');
    const dbs = await client.query<{ datname: string }>(
      'select datname from pg_database where not datistemplate order by datname limit 100',
    );
    const names = dbs.rows.map((r) => r.datname);
    const v = version.rows[0]?.server_version ?? 'unknown';
    return {
      ...base,
      access: 'open',
      facts: { product: 'PostgreSQL', version: v, databases: names.length, databaseNames: someNames(names) },
      answered: `startup accepted without a password: PostgreSQL ${v}, ${names.length} database${names.length === 1 ? '' : 's'}`,
    };
  } catch (error) {
    return {
      ...base,
      access: 'open',
      facts: { product: 'PostgreSQL' },
      answered: `startup accepted without a password (${networkError(error)})`,
    };
  } finally {
    await client.end().catch(() => undefined);
  }
};
