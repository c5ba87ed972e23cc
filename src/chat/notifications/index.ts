import { todayOf } from '../../core/common/dates.ts';
import type { CoreDeps } from '../../core/common/deps.ts';
import type { NotificationTemplate } from '../../core/messaging/outbox.ts';
import type { OutboxRow } from '../../store/tables.ts';
import type { Reply } from '../reply.ts';
import {
  renderApprovalCard,
  renderAssigned,
  renderDeadlineSet,
  renderFindingCard,
  renderFindingHistory,
  renderSlaReminder,
} from './findings.ts';
import { renderHomeRefresh } from './home.ts';
import {
  renderIncidentCard,
  renderIncidentMissed,
  renderIncidentReminder,
  renderIncidentTimeline,
} from './incidents.ts';
import { renderLifecycle } from './lifecycle.ts';
import { renderOwnerDigest } from './owner-digest.ts';
import {
  renderDeadLetter,
  renderEvidenceReminder,
  renderReassessmentPrompt,
  renderReviewReminder,
  renderText,
  renderVendorReminder,
} from './reminders.ts';
import type { NotificationRenderer, NotificationRenderers, RenderInput } from './types.ts';

export type { NotificationRenderer, RenderInput } from './types.ts';

// Every outbox template and the view that draws it. The relay calls the function returned by
// `renderNotification(deps)` for each row it is about to send (src/delivery/deliver.ts RenderOutbox).

const RENDERERS: NotificationRenderers = {
  'finding-card': renderFindingCard,
  'finding-history': renderFindingHistory,
  'approval-card': renderApprovalCard,
  'deadline-set': renderDeadlineSet,
  assigned: renderAssigned,
  'review-reminder': renderReviewReminder,
  'reassessment-prompt': renderReassessmentPrompt,
  'evidence-reminder': renderEvidenceReminder,
  'sla-reminder': renderSlaReminder,
  'vendor-reminder': renderVendorReminder,
  'owner-digest': renderOwnerDigest,
  'dead-letter': renderDeadLetter,
  text: renderText,
  'incident-card': renderIncidentCard,
  'incident-timeline': renderIncidentTimeline,
  'incident-reminder': renderIncidentReminder,
  'incident-missed': renderIncidentMissed,
  // The weekly digest's view lives with the scheduler's work (src/chat/views/digest.ts) and is listed here:
  digest: (input) => import('../views/digest.ts').then((view) => view.renderDigest(input)),
  'intake-card': ({ deps, data }) => renderLifecycle.intake(deps, data.vendorId),
  'activation-card': ({ deps, data }) => renderLifecycle.activation(deps, data.requestId),
  'offboarding-card': ({ deps, data }) => renderLifecycle.offboarding(deps, data.offboardingId),
  home: renderHomeRefresh,
};

/**
 * The relay's render function (RenderOutbox): turns an outbox row into the message to send now, or null
 * to skip it. A template without a view throws, so the row is retried and then reported as a dead letter.
 */
export function renderNotification(deps: CoreDeps): (row: OutboxRow) => Promise<Reply | null> {
  return async (row) => {
    const template = row.template as NotificationTemplate;
    const render = RENDERERS[template] as NotificationRenderer<typeof template> | undefined;
    if (!render) throw new Error(`no notification view for template "${row.template}"`);
    const data = JSON.parse(row.data) as Record<string, unknown>;
    const input = { deps, data, late: row.late === 1, today: todayOf(deps), row } as RenderInput<typeof template>;
    return render(input);
  };
}
