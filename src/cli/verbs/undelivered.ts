import { listDeadMessages, listWaitingForInstall, WAITING_FOR_INSTALL } from '../../delivery/waiting.ts';
import type { Db } from '../../store/database.ts';
import type { OutboxRow } from '../../store/tables.ts';
import type { CliIO } from '../io.ts';
import { formatTable } from './table.ts';

// `list --dead` and `list --waiting`: the messages the relay gave up on, and those waiting for the bot
// to be installed where they go (src/delivery/waiting.ts), so an operator sees what nobody received.

const shortError = (row: OutboxRow) => (row.last_error ?? '').replace(WAITING_FOR_INSTALL, '').trim().slice(0, 160);

function print(io: CliIO, rows: OutboxRow[], when: (row: OutboxRow) => string, header: string, what: string): void {
  if (rows.length === 0) {
    io.out(`no messages ${what}`);
    return;
  }
  const table = rows.map((r) => [String(r.id), r.target, r.template, r.created_at, when(r), shortError(r)]);
  io.out(formatTable(['ID', 'TARGET', 'MESSAGE', 'QUEUED', header, 'WHY'], table));
  io.out(`${rows.length} message${rows.length === 1 ? '' : 's'} ${what}`);
}

export async function printUndelivered(io: CliIO, db: Db, which: { dead?: boolean; waiting?: boolean }): Promise<void> {
  if (which.waiting) {
    const rows = await listWaitingForInstall(db);
    print(io, rows, (r) => r.available_at, 'NEXT CHECK', 'waiting for the bot to be installed');
  }
  if (which.dead) {
    const rows = await listDeadMessages(db);
    print(io, rows, (r) => String(r.attempts), 'ATTEMPTS', 'given up on (dead)');
  }
}
