import type { Tx } from '../../store/database.ts';
import { appendAudit } from '../audit/log.ts';
import type { Actor } from '../common/actor.ts';
import type { Clock } from '../common/clock.ts';
import { invalidInput } from '../common/errors.ts';
import type { NewVendorInput } from '../vendors/create-update.ts';
import { nameKeyOf } from '../vendors/input.ts';
import { hasActivationRecord } from './activation.ts';

// A CSV import may not make a vendor active (or approved) that holds no signed activation: that is the
// gate the lifecycle exists for. Pre-existing vendors, in use before this bot, are the exception the
// operator states with --legacy; the import records that statement once in the audit trail.

const NEEDS_ACTIVATION = ['active', 'approved'];

export interface ImportGate {
  /** The row as it may be applied: a new vendor without a status is requested (legacy: active). */
  check(tx: Tx, input: NewVendorInput): Promise<NewVendorInput>;
  /** Appends the one legacy audit record when this import made pre-existing vendors active. */
  finish(tx: Tx, clock: Clock, actor: Actor, file: string): Promise<void>;
}

export function importGate(legacy: boolean): ImportGate {
  const madeActive: string[] = [];
  return {
    async check(tx, input) {
      const existing = await tx
        .selectFrom('vendors')
        .select(['id', 'status'])
        .where('name_key', '=', nameKeyOf(input.name))
        .executeTakeFirst();
      const status = input.status ?? (existing ? undefined : legacy ? 'active' : 'requested');
      const becomes = status !== undefined && status !== existing?.status && NEEDS_ACTIVATION.includes(status);
      if (becomes && !(existing && (await hasActivationRecord(tx, existing.id)))) {
        if (!legacy) {
          throw invalidInput(
            `status ${status} needs a signed activation (/vendor activate); for vendors in use before this bot, import with --legacy`,
          );
        }
        madeActive.push(input.name);
      }
      return { ...input, status };
    },
    async finish(tx, clock, actor, file) {
      if (madeActive.length === 0) return;
      await appendAudit(tx, clock, {
        actor,
        action: 'vendor.import.legacy',
        entityType: 'import',
        entityId: file,
        after: { vendors: madeActive },
        reason: 'pre-existing vendors, in use before the activation gate, imported as active (--legacy)',
      });
    },
  };
}
