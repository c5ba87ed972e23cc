import type { CoreDeps } from '../../core/common/deps.ts';
import type { NotificationContent, NotificationTemplate } from '../../core/messaging/outbox.ts';
import type { OutboxRow } from '../../store/tables.ts';
import type { Reply } from '../reply.ts';

// What a notification view is given, and what it returns: the message as it should read now (the
// store is read at send time, so an edit shows the latest state), or null when there is nothing left
// to say (the subject was deleted, the reminder is moot).

export type NotificationData<T extends NotificationTemplate> = Extract<NotificationContent, { template: T }>['data'];

export interface RenderInput<T extends NotificationTemplate> {
  deps: CoreDeps;
  data: NotificationData<T>;
  /** Fired after downtime, later than planned. */
  late: boolean;
  /** Today's calendar date in the deployment's zone. */
  today: string;
  row: OutboxRow;
}

export type NotificationRenderer<T extends NotificationTemplate> = (input: RenderInput<T>) => Promise<Reply | null>;

export type NotificationRenderers = { [T in NotificationTemplate]?: NotificationRenderer<T> };
