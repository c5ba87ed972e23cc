import { writeSync } from 'node:fs';
import SqliteDatabase from 'better-sqlite3';

// Used inside the child processes of the kill tests. Progress goes to stdout with a synchronous write,
// so the parent hears it even while the child's event loop is busy inside a transaction; `freeze`
// parks the child at a chosen statement, mid-transaction, until the parent kills it with SIGKILL.

export function report(line: string): void {
  writeSync(1, `${line}\n`);
}

/** Blocks the whole process (no event loop, no finally blocks) until it is killed. */
export function freeze(): never {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  throw new Error('the parent did not kill this process');
}

/** Calls `seen` with each SQL statement and its connection just before it runs (prepared or cached). */
export function watchStatements(seen: (sql: string, db: SqliteDatabase.Database) => void): void {
  const probe = new SqliteDatabase(':memory:');
  const statement = Object.getPrototypeOf(probe.prepare('select 1')) as SqliteDatabase.Statement;
  probe.close();
  for (const method of ['run', 'all', 'get', 'iterate'] as const) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    Object.defineProperty(statement, method, {
      configurable: true,
      writable: true,
      value: function (this: SqliteDatabase.Statement, ...args: unknown[]) {
        seen(this.source, this.database);
        return original.apply(this, args);
      },
    });
  }
}
