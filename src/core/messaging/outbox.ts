import type { Tx } from '../../store/database.ts';
import type { Clock } from '../common/clock.ts';
import type { VendorReminderData } from './live-reminders.ts';
import type { OwnerDigestData } from './owner-digest.ts';

/**
 * What must be told to whom, written in the same transaction as the change that caused it. The core
 * names a template and its data; `src/chat/notifications/` turns that into a message and
 * `src/delivery/` sends it. A `subject` (e.g. `finding:12`) means "the one message about this thing":
 * the first send posts it, later sends edit it in place.
 */
export type NotificationContent =
  | { template: 'finding-card'; data: { findingId: number } }
  | { template: 'finding-history'; data: { findingId: number; text: string } }
  | { template: 'approval-card'; data: { requestId: number } }
  /** To the vendor owner and assignee: an approver set the finding's remediation deadline. */
  | { template: 'deadline-set'; data: { requestId: number } }
  | { template: 'assigned'; data: { findingId: number; byName: string } }
  | { template: 'review-reminder'; data: { vendorId: number; dueOn: string; daysBefore: number } }
  | { template: 'reassessment-prompt'; data: { assessmentId: number } }
  | { template: 'evidence-reminder'; data: { evidenceId: number; daysBefore: number } }
  | { template: 'sla-reminder'; data: { findingId: number; dueOn: string } }
  /** Everything asked of a vendor's owner on a day, one live message per vendor (live-reminders.ts). */
  | { template: 'vendor-reminder'; data: VendorReminderData }
  /** A person's heads-ups of a day, one "Coming up" message (owner-digest.ts). */
  | { template: 'owner-digest'; data: OwnerDigestData }
  | { template: 'digest'; data: { weekOf: string } }
  | { template: 'dead-letter'; data: { outboxId: number; target: string; error: string } }
  | { template: 'text'; data: { text: string } }
  | { template: 'incident-card'; data: { incidentId: number } }
  | { template: 'incident-timeline'; data: { incidentId: number; text: string } }
  | { template: 'incident-reminder'; data: { clockId: number; deadline: string; slot: string } }
  | { template: 'incident-missed'; data: { clockId: number } }
  | { template: 'intake-card'; data: { vendorId: number } }
  | { template: 'activation-card'; data: { requestId: number } }
  | { template: 'offboarding-card'; data: { offboardingId: number } }
  /** A person's Home tab, republished from the store (src/core/messaging/home-refresh.ts). */
  | { template: 'home'; data: Record<string, never> };

export type NotificationTemplate = NotificationContent['template'];

export type Notification = NotificationContent & {
  /** Idempotency key: enqueuing the same key twice sends once. */
  key: string;
  /** `slack:C123` (channel), `slack:U123` (DM), `teams:conv:<id>`, `teams:<aad id>` (DM). */
  target: string;
  subject?: string;
  /** Fired after downtime, later than planned: the message says so. */
  late?: boolean;
  /** Thread this message under the message about another subject, e.g. history under `finding:12`. */
  threadOf?: string;
};

/** Inserts the message unless one with the same key exists; returns whether it was new. */
export async function enqueue(tx: Tx, clock: Clock, n: Notification): Promise<boolean> {
  const now = clock.now().toISOString();
  const result = await tx
    .insertInto('outbox')
    .values({
      idempotency_key: n.key,
      target: n.target,
      template: n.template,
      data: JSON.stringify(n.data),
      subject: n.subject ?? null,
      thread_of: n.threadOf ?? null,
      late: n.late ? 1 : 0,
      status: 'pending',
      attempts: 0,
      available_at: now,
      created_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** The platform of a target or principal: the part before the first colon. */
export function platformOf(target: string): string {
  return target.slice(0, target.indexOf(':'));
}
