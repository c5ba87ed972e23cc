import type { DbOrTx } from '../../store/database.ts';
import { principalsOf } from '../roles/identity.ts';
import { currentEvidenceDueBy, type DueEvidence } from './status.ts';

// Reading evidence for one person's work queue. No writes here.

/**
 * The documents a vendor owner has to renew: the current document of each type, for the vendors they
 * own under any of their linked accounts (still in service), that has expired or expires on or before `through`. Soonest first; a
 * renewed document is left out (a renewal supersedes what it replaces).
 */
export async function evidenceToRenewFor(db: DbOrTx, principal: string, through: string): Promise<DueEvidence[]> {
  const mine = await principalsOf(db, principal);
  return currentEvidenceDueBy(db, through)
    .selectAll('e')
    .select(['v.name as vendor_name', 'v.owner_id', 'v.channel'])
    .where('v.owner_id', 'in', mine)
    .orderBy('e.expires_on')
    .orderBy('v.name')
    .execute();
}
