import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { DEMO_SEED_ACTION } from '../demo/seed.ts';
import type { Db } from '../store/database.ts';
import type { Workspace } from './slack-web-api-workspace.ts';

// The chat history is kept next to the playground database, so a restart shows the same conversations
// (and the bot's later edits find the messages they edit). It belongs to one seeding of the demo: a
// file written for an earlier seeding (before a Reset, or for a deleted database) is ignored.

interface SavedWorkspace {
  seed: string;
  channels: [string, unknown][];
  dms: [string, string][];
  ephemerals: unknown[];
}

/** Which seeding of the demo the database holds: the hash of its seed entry (which names the real seeding time). */
export async function seedMarker(db: Db): Promise<string> {
  const row = await db.selectFrom('audit_log').select('hash').where('action', '=', DEMO_SEED_ACTION).executeTakeFirst();
  return row?.hash ?? '';
}

export function workspaceFileFor(databaseFile: string): string {
  return `${databaseFile.replace(/\.db$/, '')}.chat.json`;
}

/** Restores the saved conversations into an empty workspace; false when there is nothing for this seeding. */
export function loadWorkspace(file: string, seed: string, ws: Workspace): boolean {
  let saved: SavedWorkspace;
  try {
    saved = JSON.parse(readFileSync(file, 'utf8')) as SavedWorkspace;
  } catch {
    return false;
  }
  if (!seed || saved.seed !== seed) return false;
  for (const [id, channel] of saved.channels) ws.channels.set(id, channel as never);
  for (const [user, dm] of saved.dms) ws.dms.set(user, dm);
  ws.ephemerals.push(...(saved.ephemerals as never[]));
  return true;
}

/** Writes the conversations atomically (a crash mid-write leaves the previous file). */
export function saveWorkspace(file: string, seed: string, ws: Workspace): void {
  const saved: SavedWorkspace = {
    seed,
    channels: [...ws.channels.entries()],
    dms: [...ws.dms.entries()],
    ephemerals: ws.ephemerals,
  };
  writeFileSync(`${file}.tmp`, JSON.stringify(saved));
  renameSync(`${file}.tmp`, file);
}
