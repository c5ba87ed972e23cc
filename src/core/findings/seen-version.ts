import type { Tx } from '../../store/database.ts';
import { conflict } from '../common/errors.ts';
import { lastChangeLine } from './text.ts';
import { loadFinding } from './transition.ts';

// A form is filled in against the finding as it was when the form opened. If someone changed the
// finding meanwhile (two analysts assigning it to different people at once), applying the form
// anyway would silently overwrite what the other person did: a lost update. So a form carries the
// version it was opened on, and its change is refused, naming who acted first, when the finding has
// moved on. Called inside the change's own write transaction, where writers take turns, so nothing
// can slip in between this check and the change.

/** Refuses when the finding is no longer at `seenVersion`; null (a form from before versions were carried) skips the check. */
export async function requireUnchangedSince(tx: Tx, findingId: number, seenVersion: number | null): Promise<void> {
  if (seenVersion === null) return;
  const finding = await loadFinding(tx, findingId);
  if (finding.version === seenVersion) return;
  const last = (await lastChangeLine(tx, findingId)) ?? 'Someone else changed it.';
  throw conflict(
    `Finding #${findingId} changed while you had this form open: ${last} Nothing was changed; look at the card and try again if it still applies.`,
  );
}
