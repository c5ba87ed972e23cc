import { statSync } from 'node:fs';
import { runCli } from '../../src/cli/program.ts';
import { freeze, report, watchStatements } from './kill-hooks.ts';

// Child of test/e2e/kill-import.test.ts: runs the real `import vendors FILE` and freezes just before
// inserting vendor number FREEZE_AT, deep inside the import's one transaction. A tiny page cache makes
// SQLite spill the uncommitted pages into the WAL file first, so the crash leaves them on disk.

const [file, freezeAt] = process.argv.slice(2);
const walFile = `${process.env.DATABASE_URL}-wal`;
const walBytes = () => statSync(walFile, { throwIfNoEntry: false })?.size ?? 0;
let tuned = false;
let inserts = 0;
watchStatements((sql, db) => {
  if (!tuned) {
    tuned = true;
    db.pragma('cache_size = 8');
  }
  if (!sql.startsWith('insert into "vendors"')) return;
  inserts += 1;
  if (inserts === 1) report(`wal at first insert ${walBytes()}`);
  if (inserts === Number(freezeAt)) {
    report(`wal at freeze ${walBytes()}`);
    report(`frozen before vendor ${inserts}`);
    freeze();
  }
});

const code = await runCli(['import', 'vendors', file ?? ''], { out: report, err: report, env: process.env });
report(`exit ${code}`);
