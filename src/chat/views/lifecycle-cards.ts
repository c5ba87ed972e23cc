import { manifestation, signaturesFor } from '../../core/audit/signatures.ts';
import { exposureLine } from '../../core/exposure/summary.ts';
import {
  type ActivationDecision,
  acceptedFindings,
  DECISION_LABELS,
  loadActivationRequest,
} from '../../core/lifecycle/activation.ts';
import type { DueDiligenceStatus } from '../../core/lifecycle/due-diligence.ts';
import { ITEM_LABELS, type OffboardingItem, type OffboardingView } from '../../core/lifecycle/offboarding.ts';
import { sameDecider } from '../../core/lifecycle/sign.ts';
import { gateText, statusLabel } from '../../core/lifecycle/states.ts';
import { displayName } from '../../core/roles/people.ts';
import { readList } from '../../core/vendors/input.ts';
import type { DbOrTx } from '../../store/database.ts';
import { ACTIONS } from '../actions.ts';
import { inert } from '../inert.ts';
import { type Block, type Button, type Confirm, ephemeral, inChannel, type Reply } from '../reply.ts';
import { formatUtc, person } from './wording.ts';

// The lifecycle's cards: the intake card in the risk team's channel, the activation card in the
// approvals channel and the offboarding checklist. Each is one message edited in place; once decided,
// buttons give way to the signature.

export const LIFECYCLE_ACTIONS = {
  acknowledge: ACTIONS.intakeAck,
  assign: ACTIONS.intakeAssign,
  show: ACTIONS.intakeShow,
  approve: ACTIONS.activationApprove,
  conditions: ACTIONS.activationConditions,
  reject: ACTIONS.activationReject,
  item: ACTIONS.offboardingItem,
  signOff: ACTIONS.offboardingSignOff,
} as const;

const ACTIVATION_CONFIRM: Confirm = {
  title: 'Sign this approval?',
  text: "You are approving this vendor for use and signing electronically. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
  confirm: 'Sign and approve',
  deny: 'Cancel',
};

const SIGN_OFF_CONFIRM: Confirm = {
  title: 'Sign off this offboarding?',
  text: "The vendor leaves the review cadence. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
  confirm: 'Sign off',
  deny: 'Cancel',
};

export async function intakeCard(db: DbOrTx, vendorId: number): Promise<Reply | null> {
  const intake = await db.selectFrom('vendor_intakes').selectAll().where('vendor_id', '=', vendorId).executeTakeFirst();
  const vendor = await db.selectFrom('vendors').selectAll().where('id', '=', vendorId).executeTakeFirst();
  if (!intake || !vendor) return null;
  const name = async (p: string | null) => person(p, await displayName(db, p));
  const fields = [
    { label: 'Status', value: statusLabel(vendor.status) },
    { label: 'Tier', value: vendor.tier },
    { label: 'Data', value: readList(intake.data_touched).join(', ') },
    {
      label: 'Records',
      value: intake.record_count === null ? 'not given' : intake.record_count.toLocaleString('en-US'),
    },
    { label: 'Requested by', value: await name(intake.requested_by) },
    { label: 'Business owner', value: await name(intake.business_owner) },
  ];
  if (intake.website) fields.push({ label: 'Website', value: intake.website });
  if (intake.systems) fields.push({ label: 'Connects to', value: intake.systems });
  if (vendor.contract_start) fields.push({ label: 'Contract start', value: vendor.contract_start });
  if (intake.acknowledged_by) fields.push({ label: 'Acknowledged by', value: await name(intake.acknowledged_by) });
  if (intake.assignee_id) fields.push({ label: 'Assigned to', value: await name(intake.assignee_id) });
  const value = String(vendorId);
  const buttons: Button[] = [];
  if (!intake.acknowledged_by) buttons.push({ action: LIFECYCLE_ACTIONS.acknowledge, label: 'Acknowledge', value });
  if (vendor.status === 'requested' || vendor.status === 'in_review') {
    buttons.push({ action: LIFECYCLE_ACTIONS.assign, label: 'Assign', value });
  }
  buttons.push({ action: LIFECYCLE_ACTIONS.show, label: 'Show vendor', value });
  const gate = gateText(vendor.status);
  const blocks: Block[] = [
    { type: 'header', text: `Vendor request: ${vendor.name}` },
    { type: 'text', text: vendor.services },
    { type: 'fields', fields },
  ];
  if (gate) blocks.push({ type: 'context', text: gate });
  blocks.push({ type: 'actions', buttons });
  return inChannel(
    `Vendor request: ${vendor.name} (${vendor.tier} tier), ${statusLabel(vendor.status).toLowerCase()}.`,
    blocks,
  );
}

/** The vendor as due diligence sees it: gate, required evidence, questionnaire, exposure checks. */
export function dueDiligenceReply(status: DueDiligenceStatus, now: Date, lead?: string): Reply {
  const v = status.vendor;
  const gate = gateText(v.status);
  const evidence =
    status.required.length === 0
      ? 'No evidence is required for this tier and data.'
      : status.required.map((r) => `${r.met ? '✅' : '❌ missing:'} ${r.text}`).join('\n');
  const lines = [
    ...(lead ? [lead] : []),
    `**${v.name}** · ${v.tier} tier · ${statusLabel(v.status)}${gate ? ` · ${gate}` : ''}`,
    `**Required evidence**\n${evidence}`,
    `**Questionnaire**: ${status.questionnaire}`,
    status.exposure ? exposureLine(status.exposure, now) : 'Exposure checks: no authorised assets declared.',
  ];
  const text = lines.join('\n');
  return ephemeral(text, [{ type: 'text', text }]);
}

export async function activationCard(db: DbOrTx, requestId: number): Promise<Reply | null> {
  const request = await loadActivationRequest(db, requestId).catch(() => null);
  if (!request) return null;
  const vendor = await db
    .selectFrom('vendors')
    .selectAll()
    .where('id', '=', request.vendor_id)
    .executeTakeFirstOrThrow();
  const requester = person(request.requested_by, await displayName(db, request.requested_by));
  const pending = request.state === 'pending';
  const title = pending
    ? `Approval needed: activation · ${vendor.name}`
    : `Activation ${DECISION_LABELS[request.decision as ActivationDecision]?.toLowerCase() ?? request.state} · ${vendor.name}`;
  const blocks: Block[] = [
    { type: 'header', text: title },
    {
      type: 'fields',
      fields: [
        { label: 'Vendor', value: vendor.name },
        { label: 'Tier', value: vendor.tier },
        { label: 'Requested by', value: requester },
        { label: 'Requested at', value: formatUtc(request.requested_at) },
      ],
    },
    { type: 'text', text: `Reason: ${request.reason}` },
  ];
  const accepted = acceptedFindings(request);
  if (accepted.length > 0) {
    blocks.push({ type: 'text', text: `Findings accepted as risk: ${accepted.map((id) => `#${id}`).join(', ')}` });
  }
  const [signature] = await signaturesFor(db, 'activation_request', request.id);
  let decided = '';
  if (signature) {
    decided = `${request.state === 'approved' ? '✅' : '❌'} ${DECISION_LABELS[request.decision as ActivationDecision] ?? request.state}. ${manifestation(signature)}`;
    blocks.push({ type: 'text', text: decided });
  }
  if (pending) {
    const value = String(request.id);
    blocks.push({
      type: 'actions',
      buttons: [
        {
          action: LIFECYCLE_ACTIONS.approve,
          label: 'Approve for use',
          value,
          style: 'primary',
          confirm: ACTIVATION_CONFIRM,
        },
        { action: LIFECYCLE_ACTIONS.conditions, label: 'Approve with conditions', value },
        { action: LIFECYCLE_ACTIONS.reject, label: 'Reject', value, style: 'danger' },
      ],
    });
  }
  return inChannel(`${title}. ${decided}`.trim(), blocks);
}

export async function offboardingCard(db: DbOrTx, view: OffboardingView): Promise<Reply> {
  const { offboarding, vendor, items } = view;
  const lines: string[] = [];
  const buttons: Button[] = [];
  for (const item of items) {
    const label = ITEM_LABELS[item.item as OffboardingItem] ?? item.item;
    const owner = person(item.owner_id, await displayName(db, item.owner_id));
    if (item.done_at) {
      const by = person(item.done_by, await displayName(db, item.done_by));
      lines.push(`✅ ${label} · done by ${by} ${formatUtc(item.done_at)}${item.note ? ` · ${item.note}` : ''}`);
    } else {
      lines.push(`⬜ ${label} · ${owner} · due ${item.due_on}`);
      buttons.push({
        action: LIFECYCLE_ACTIONS.item,
        label: `Done: ${label.split(':')[0]?.split(',')[0]}`,
        value: `${offboarding.id}:${item.item}`,
      });
    }
  }
  const blocks: Block[] = [
    { type: 'header', text: `Offboarding: ${vendor.name}` },
    { type: 'text', text: `Reason: ${offboarding.reason}` },
    { type: 'text', text: lines.join('\n') },
  ];
  const [signature] = await signaturesFor(db, 'offboarding', offboarding.id);
  if (signature) blocks.push({ type: 'text', text: `Offboarded. ${manifestation(signature)}` });
  else {
    buttons.push({
      action: LIFECYCLE_ACTIONS.signOff,
      label: 'Sign off',
      value: String(offboarding.id),
      style: 'primary',
      confirm: SIGN_OFF_CONFIRM,
    });
    blocks.push({ type: 'actions', buttons });
  }
  return inChannel(
    `Offboarding ${vendor.name}: ${items.filter((i) => i.done_at).length} of ${items.length} done.`,
    blocks,
  );
}

/** Activations an approver may decide (never their own), as lines and blocks for the approvals list. */
export async function pendingActivations(
  db: DbOrTx,
  approverId: string,
): Promise<{ lines: string[]; blocks: Block[] }> {
  const rows = await db
    .selectFrom('activation_requests as a')
    .innerJoin('vendors as v', 'v.id', 'a.vendor_id')
    .selectAll('a')
    .select('v.name as vendor_name')
    .where('a.state', '=', 'pending')
    .orderBy('a.requested_at')
    .orderBy('a.id')
    .execute();
  const lines: string[] = [];
  const blocks: Block[] = [];
  for (const r of rows.filter((row) => !sameDecider(row.requested_by, { id: approverId, name: '' }))) {
    const by = person(r.requested_by, await displayName(db, r.requested_by));
    lines.push(`Activation #${r.id}: ${inert(r.vendor_name)}`);
    blocks.push(
      {
        type: 'text',
        text: `**Activation #${r.id}: approve for use** · ${inert(r.vendor_name)}\nRequested by ${by} at ${formatUtc(r.requested_at)}: ${inert(r.reason)}`,
      },
      {
        type: 'actions',
        buttons: [
          {
            action: LIFECYCLE_ACTIONS.approve,
            label: 'Approve for use',
            value: String(r.id),
            style: 'primary',
            confirm: ACTIVATION_CONFIRM,
          },
          { action: LIFECYCLE_ACTIONS.conditions, label: 'Approve with conditions', value: String(r.id) },
          { action: LIFECYCLE_ACTIONS.reject, label: 'Reject', value: String(r.id), style: 'danger' },
        ],
      },
    );
  }
  return { lines, blocks };
}
