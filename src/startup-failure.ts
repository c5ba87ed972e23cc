import { ConfigError } from './config.ts';

// Why the bot could not start, as one line an operator can act on. The usual causes (bad settings, a
// platform refusing the token or out of reach, the port taken, the database down) are named; anything
// else is reported by its message alone. Never a stack trace: the line goes to a terminal or a
// service manager's journal, and the remedy is in the settings, not in our code.

/** A start-up failure already phrased for the operator (the adapters throw it for platform problems). */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

export function describeStartupFailure(error: unknown): string {
  if (error instanceof ConfigError) return error.problems.join('; ');
  if (error instanceof StartupError) return error.message;
  const e = error as { code?: unknown; port?: unknown; address?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : undefined;
  if (code === 'EADDRINUSE') return `port ${String(e?.port)} is already in use (set PORT to a free one)`;
  if (code === 'EACCES' && e?.port !== undefined) return `not allowed to listen on port ${String(e.port)}`;
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000') {
    return `the database could not be reached (${code}): check DATABASE_URL`;
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_NOTADB') {
    return `the SQLite database could not be opened (${code}): check DATABASE_URL and the folder's permissions`;
  }
  const message = typeof e?.message === 'string' ? e.message : String(error);
  return message.split('\n')[0] ?? message;
}
