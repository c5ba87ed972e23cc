import { getApprovalRequest } from '../../core/approvals/queries.ts';
import { isUserError } from '../../core/common/errors.ts';
import { ACTIVE_STATES } from '../../core/findings/states.ts';
import { inert, inertTitle } from '../inert.ts';
import { inChannel } from '../reply.ts';
import { approvalCard } from '../views/approval-card.ts';
import { findingCard } from '../views/finding-card.ts';
import { loadFindingCard } from '../views/finding-card-data.ts';
import { deadlineSet, slaReminder } from '../views/reminders.ts';
import { printedName } from '../views/wording.ts';
import type { NotificationRenderer } from './types.ts';

// The finding's card, the lines threaded under it, the assignee's DM and the approval card. Each is
// read fresh at send time: an edit that waited behind a rate limit still shows the latest state.

export const renderFindingCard: NotificationRenderer<'finding-card'> = async ({ deps, data, today }) => {
  const card = await loadFindingCard(deps.db, data.findingId);
  return card ? findingCard(card, today) : null;
};

export const renderFindingHistory: NotificationRenderer<'finding-history'> = async ({ deps, data }) => {
  const card = await loadFindingCard(deps.db, data.findingId);
  return card ? inChannel(data.text) : null;
};

export const renderAssigned: NotificationRenderer<'assigned'> = async ({ deps, data, today }) => {
  const card = await loadFindingCard(deps.db, data.findingId);
  if (!card) return null;
  const f = card.finding;
  const line = `${inert(data.byName)} assigned you finding #${f.id} on ${inert(f.vendor_name)}: ${inertTitle(f.title)}`;
  const rendered = findingCard(card, today);
  return inChannel(`${line}\n${rendered.text}`, [
    { type: 'text', text: `**${line}**` },
    { type: 'divider' },
    ...(rendered.blocks ?? []),
  ]);
};

export const renderSlaReminder: NotificationRenderer<'sla-reminder'> = async ({ deps, data, today, late }) => {
  const card = await loadFindingCard(deps.db, data.findingId);
  // Nothing to chase once the finding is closed, accepted or given a fresh SLA.
  if (!card || !ACTIVE_STATES.includes(card.finding.state)) return null;
  if (card.finding.sla_due_on !== data.dueOn) return null;
  return slaReminder({
    findingId: card.finding.id,
    title: card.finding.title,
    vendorName: card.finding.vendor_name,
    dueOn: data.dueOn,
    today,
    late,
    card: findingCard(card, today).blocks ?? [],
  });
};

export const renderDeadlineSet: NotificationRenderer<'deadline-set'> = async ({ deps, data, today }) => {
  const request = await getApprovalRequest(deps.db, data.requestId).catch((error: unknown) => {
    if (isUserError(error) && error.code === 'not_found') return null;
    throw error;
  });
  if (request?.state !== 'approved' || !request.action_until) return null;
  const card = await loadFindingCard(deps.db, request.finding_id);
  if (!card) return null;
  return deadlineSet({
    findingId: request.finding_id,
    title: request.finding_title,
    vendorName: request.vendor_name,
    approver: printedName(request.decided_by, request.decided_by_name),
    dueOn: request.action_until,
    today,
    card: findingCard(card, today).blocks ?? [],
  });
};

export const renderApprovalCard: NotificationRenderer<'approval-card'> = async ({ deps, data }) => {
  try {
    return approvalCard(await getApprovalRequest(deps.db, data.requestId));
  } catch (error) {
    if (isUserError(error) && error.code === 'not_found') return null;
    throw error;
  }
};
