import { describe, expect, it } from 'vitest';
import type { Block, Button } from '../../src/chat/reply.ts';
import { approvalCard, SIGNING_CONFIRM } from '../../src/chat/views/approval-card.ts';
import { findingCard } from '../../src/chat/views/finding-card.ts';
import { type MyWork, myWorkBlocks } from '../../src/chat/views/my-work.ts';
import type { ApprovalDetail } from '../../src/core/approvals/queries.ts';
import type { FindingState } from '../../src/core/common/vocabulary.ts';
import type { FindingDetail } from '../../src/core/findings/queries.ts';
import { availableActions } from '../../src/core/findings/states.ts';

// The finding card, the approval card and the Home tab as people read them: which buttons each
// state offers, and the signature manifestation (printed name, UTC time, meaning, reason).

function findingDetail(state: FindingState, extra: Partial<FindingDetail> = {}): FindingDetail {
  return {
    id: 12,
    vendor_id: 3,
    dedupe_key: 'signal:scanner:1',
    source: 'signal',
    title: 'Publicly reachable Elasticsearch without authentication',
    detail: 'es.acme.example:9200 answers unauthenticated queries.',
    severity: 'high',
    state,
    assignee_id: null,
    opened_at: '2026-06-01T09:00:00.000Z',
    sla_due_on: '2026-07-01',
    acknowledged_by: null,
    acknowledged_at: null,
    resolved_by: null,
    resolved_at: null,
    resolution: null,
    accepted_until: null,
    reopened_reason: null,
    updated_at: '2026-06-01T09:00:00.000Z',
    version: 1,
    vendor_name: 'Acme Health Cloud',
    assignee_name: null,
    vendor_tier: 'critical',
    acknowledged_by_name: null,
    resolved_by_name: null,
    fix_proposed_by: null,
    fix_proposed_at: null,
    fix_note: null,
    fix_from_state: null,
    fix_returned_reason: null,
    fix_proposed_by_name: null,
    pending_request: null,
    actions: availableActions(state),
    ...extra,
  };
}

function approvalDetail(extra: Partial<ApprovalDetail> = {}): ApprovalDetail {
  return {
    id: 4,
    finding_id: 12,
    kind: 'escalation',
    requested_action: 'remediation_deadline',
    action_until: '2026-06-15',
    reason: 'Patient records are exposed',
    requested_by: 'slack:UDANA',
    requested_at: '2026-06-01T10:00:00.000Z',
    state: 'pending',
    decided_by: null,
    decided_at: null,
    decision_reason: null,
    version: 1,
    finding_title: 'Publicly reachable Elasticsearch without authentication',
    finding_severity: 'high',
    finding_state: 'escalation_pending',
    vendor_id: 3,
    vendor_name: 'Acme Health Cloud',
    requested_by_name: 'Dana Analyst',
    decided_by_name: null,
    withdrawn_by: null,
    withdrawn_at: null,
    withdraw_reason: null,
    withdrawn_by_name: null,
    signatures: [],
    ...extra,
  };
}

/** A decided request with its signature, as the store records it. */
function decidedApproval(decision: 'approved' | 'rejected', reason: string | null): ApprovalDetail {
  return approvalDetail({
    state: decision,
    decided_by: 'slack:UPAT',
    decided_at: '2026-06-02T10:15:42.000Z',
    decision_reason: reason,
    decided_by_name: 'Pat Approver',
    version: 2,
    signatures: [
      {
        id: 1,
        record_type: 'approval_request',
        record_id: 4,
        record_version: 2,
        record_hash: 'ab'.repeat(32),
        signer_id: 'slack:UPAT',
        signer_name: 'Pat Approver',
        meaning: decision === 'approved' ? 'approval' : 'rejection',
        reason,
        signed_at: '2026-06-02T10:15:42.000Z',
      },
    ],
  });
}

function actionRows(blocks: Block[] | undefined): Extract<Block, { type: 'actions' }>[] {
  return (blocks ?? []).filter((b): b is Extract<Block, { type: 'actions' }> => b.type === 'actions');
}

const labels = (buttons: Button[] | undefined) => (buttons ?? []).map((b) => b.label);

/** Every text a person can read in the blocks, joined: for "does it say X" checks. */
function readable(blocks: Block[] | undefined): string {
  return (blocks ?? [])
    .map((b) => {
      if (b.type === 'fields') return b.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
      if (b.type === 'actions') return [...b.buttons, ...(b.more ?? [])].map((x) => x.label).join(' | ');
      return 'text' in b ? b.text : '';
    })
    .join('\n');
}

const TODAY = '2026-06-01';
const card = (f: FindingDetail, requests: ApprovalDetail[] = []) =>
  findingCard({ finding: f, requests, lastChange: { label: 'Opened', by: 'Dana Analyst', at: f.opened_at } }, TODAY);

describe('finding card', () => {
  it('offers only the steps the state allows: three primary buttons, the rest in the overflow', () => {
    const rows = (state: FindingState) => actionRows(card(findingDetail(state)).blocks);
    expect(rows('open').map((r) => [labels(r.buttons), labels(r.more)])).toEqual([
      [
        ['Acknowledge', 'Assign', 'Escalate'],
        ['Resolve', 'Mark fixed', 'Request risk acceptance'],
      ],
    ]);
    expect(rows('open')[0]?.buttons[0]).toMatchObject({ action: 'finding.ack', value: '12', style: 'primary' });
    expect(rows('acknowledged').map((r) => [labels(r.buttons), labels(r.more)])).toEqual([
      [
        ['Assign', 'Escalate'],
        ['Resolve', 'Mark fixed', 'Request risk acceptance'],
      ],
    ]);
    // A lone extra step is a plain button: an overflow menu needs two options. Nothing closes a
    // finding that waits on an approver; one carrying an approver's decision closes by verified fix.
    expect(rows('escalation_pending').map((r) => [labels(r.buttons), labels(r.more)])).toEqual([
      [['Withdraw request'], []],
    ]);
    expect(rows('escalated').map((r) => labels(r.buttons))).toEqual([['Assign', 'Mark fixed']]);
    expect(rows('risk_accepted').map((r) => labels(r.buttons))).toEqual([['Mark fixed']]);
    expect(rows('fix_proposed').map((r) => labels(r.buttons))).toEqual([['Verify fix', 'Send back']]);
  });

  it('shows no buttons once resolved, and says who resolved it and how', () => {
    const reply = card(
      findingDetail('resolved', {
        resolved_by: 'slack:UDANA',
        resolved_by_name: 'Dana Analyst',
        resolved_at: '2026-06-03T08:30:00.000Z',
        resolution: 'Index closed to the internet',
      }),
    );
    expect(actionRows(reply.blocks)).toEqual([]);
    expect(readable(reply.blocks)).toContain(
      'Resolved by Dana Analyst at 2026-06-03 08:30 UTC: Index closed to the internet',
    );
  });

  it('leads with severity and vendor tier, lists the facts, and names the latest change in UTC', () => {
    const f = findingDetail('assigned', { assignee_id: 'slack:USAM', assignee_name: 'Sam Engineer' });
    const reply = findingCard(
      {
        finding: f,
        requests: [],
        lastChange: { label: 'Assigned', by: 'Dana Analyst', at: '2026-06-01T11:05:09.000Z' },
      },
      TODAY,
    );
    expect(reply.blocks?.[0]).toEqual({ type: 'header', text: 'High · Acme Health Cloud (critical tier)' });
    const text = readable(reply.blocks);
    expect(text).toContain('Finding #12: Publicly reachable Elasticsearch without authentication');
    expect(text).toContain('es.acme.example:9200 answers unauthenticated queries.');
    expect(text).toContain('State: Assigned');
    expect(text).toContain('Assignee: <@slack:USAM|Sam Engineer>');
    expect(text).toContain('SLA due: 2026-07-01 (due in 30 days)');
    expect(text).toContain('Opened: 2026-06-01 09:00 UTC');
    expect(text).toContain('Last change: Assigned by Dana Analyst at 2026-06-01 11:05 UTC');
    expect(reply.text).toBe(
      '[High] Acme Health Cloud: finding #12 Publicly reachable Elasticsearch without authentication (Assigned)',
    );
  });

  it('shows a signed approval with printed name, UTC time, meaning and reason, in the card and its fallback', () => {
    const reply = card(findingDetail('escalated'), [decidedApproval('approved', 'Deadline is fair')]);
    const line =
      '✅ Escalation (Set a remediation deadline by 2026-06-15) approved. ' +
      'Signed by Pat Approver, 2026-06-02 10:15 UTC, meaning: approval, reason: Deadline is fair';
    expect(readable(reply.blocks)).toContain(line);
    expect(reply.text).toContain(line);
  });

  it('shows a signed rejection with its reason, and a waiting request while nobody has decided', () => {
    const rejected = card(findingDetail('acknowledged'), [
      decidedApproval('rejected', 'Fix it within the SLA instead'),
    ]);
    expect(readable(rejected.blocks)).toContain(
      'Signed by Pat Approver, 2026-06-02 10:15 UTC, meaning: rejection, reason: Fix it within the SLA instead',
    );
    const waiting = card(findingDetail('escalation_pending'), [approvalDetail()]);
    expect(readable(waiting.blocks)).toContain(
      'Waiting for an approver: Escalation (Set a remediation deadline by 2026-06-15), requested by Dana Analyst at 2026-06-01 10:00 UTC. Reason: Patient records are exposed',
    );
  });
});

describe('approval card', () => {
  it('asks for a decision with Approve behind the signing dialog and Reject', () => {
    const reply = approvalCard(approvalDetail());
    const [row] = actionRows(reply.blocks);
    expect(row?.buttons).toEqual([
      { action: 'approval.approve', label: 'Approve', value: '4', style: 'primary', confirm: SIGNING_CONFIRM },
      { action: 'approval.reject', label: 'Reject', value: '4', style: 'danger' },
    ]);
    expect(SIGNING_CONFIRM.text).toBe(
      "You are signing this approval electronically. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
    );
    const text = readable(reply.blocks);
    expect(text).toContain('Escalation #4: Set a remediation deadline by 2026-06-15');
    expect(text).toContain('Requested by: <@slack:UDANA|Dana Analyst>');
    expect(text).toContain('Reason:** Patient records are exposed');
  });

  it('replaces the buttons with the signature once decided', () => {
    const approved = approvalCard(decidedApproval('approved', null));
    expect(actionRows(approved.blocks)).toEqual([]);
    expect(readable(approved.blocks)).toContain(
      '✅ Approved. Signed by Pat Approver, 2026-06-02 10:15 UTC, meaning: approval',
    );
    expect(approved.blocks?.[0]).toEqual({ type: 'header', text: 'Escalation approved · Acme Health Cloud' });
    const rejected = approvalCard(decidedApproval('rejected', 'Not proportionate'));
    expect(rejected.text).toContain(
      '❌ Rejected. Signed by Pat Approver, 2026-06-02 10:15 UTC, meaning: rejection, reason: Not proportionate',
    );
  });

  it('says who withdrew a request, when and why, with nothing left to click', () => {
    const reply = approvalCard(
      approvalDetail({
        state: 'withdrawn',
        version: 2,
        withdrawn_by: 'slack:UDANA',
        withdrawn_by_name: 'Dana Analyst',
        withdrawn_at: '2026-06-02T08:00:00.000Z',
        withdraw_reason: 'Vendor fixed it overnight',
      }),
    );
    expect(actionRows(reply.blocks)).toEqual([]);
    expect(reply.text).toContain(
      'Withdrawn by Dana Analyst at 2026-06-02 08:00 UTC: Vendor fixed it overnight. Nothing was signed.',
    );
  });

  it('shows a proposed fix on the finding card, waiting for another analyst', () => {
    const reply = card(
      findingDetail('fix_proposed', {
        fix_proposed_by: 'slack:UOLIVE',
        fix_proposed_by_name: 'Olive Owner',
        fix_proposed_at: '2026-06-02T08:00:00.000Z',
        fix_note: 'Port 9200 closed',
      }),
    );
    expect(readable(reply.blocks)).toContain(
      'Marked fixed by Olive Owner at 2026-06-02 08:00 UTC: Port 9200 closed. Waiting for another analyst to verify.',
    );
  });
});

describe('My work', () => {
  const base: MyWork = {
    name: 'Olive Owner',
    today: TODAY,
    soonDays: 30,
    roles: { analyst: false, approver: false, admin: false, owner: false },
    controls: 14,
    approvals: null,
    activations: null,
    triage: null,
    reviews: [],
    fixes: [],
    evidence: [],
  };
  const noTriage = { breached: [], unassigned: [], toVerify: [] };

  it('gives each role with nothing to do a kind all-clear instead of a blank tab', () => {
    const viewer = readable(myWorkBlocks(base));
    expect(viewer).toContain('All clear');
    expect(viewer).toContain('Nothing needs you right now: nothing is assigned to you and you own no vendors.');
    const analyst = readable(
      myWorkBlocks({ ...base, roles: { ...base.roles, analyst: true }, triage: noTriage, approvals: [] }),
    );
    expect(analyst).toContain('Triage is clear: no SLA breaches, no unassigned critical or high findings');
    expect(analyst).toContain('No decisions are waiting for you.');
    expect(analyst).not.toContain('Nothing needs you right now');
    expect(actionRows(myWorkBlocks(base))).toEqual([]);
  });

  it('lists only what waits, most urgent first, with the next step next to each item', () => {
    const blocks = myWorkBlocks({
      ...base,
      roles: { analyst: true, approver: true, admin: false, owner: true },
      approvals: [approvalDetail()],
      triage: { ...noTriage, unassigned: [findingDetail('open', { id: 13 })] },
      reviews: [
        { vendor_id: 4, vendor_name: 'Beta Labs', tier: 'low', due_on: '2026-05-01', assessment: null },
        {
          vendor_id: 3,
          vendor_name: 'Acme Health Cloud',
          tier: 'critical',
          due_on: '2026-06-08',
          assessment: { id: 7, answered: 5 },
        },
      ],
      fixes: [findingDetail('acknowledged')],
    });
    const rows = actionRows(blocks).map((r) => [...r.buttons, ...(r.more ?? [])].map((b) => `${b.action}:${b.value}`));
    expect(rows).toEqual([
      ['approval.approve:4', 'approval.reject:4'],
      [
        'finding.ack:13',
        'finding.assign:13',
        'finding.escalate:13',
        'finding.resolve:13',
        'finding.fixed:13',
        'finding.accept:13',
      ],
      ['assessment.start:vendor:4'],
      ['assessment.start:7'],
      ['finding.assign:12', 'finding.escalate:12', 'finding.resolve:12', 'finding.fixed:12', 'finding.accept:12'],
    ]);
    const text = readable(blocks);
    expect(text).toContain(
      '5 things need you: decisions waiting for you (1), critical and high, unassigned (1), reviews overdue and due soon (2), findings to fix (1).',
    );
    expect(text).toContain('**Beta Labs** (low tier) · review overdue by 31 days (2026-05-01)');
    expect(text).toContain(
      '**Acme Health Cloud** (critical tier) · review due in 7 days (2026-06-08) · 5 of 14 controls answered',
    );
    expect(text).toContain('Continue reassessment (5/14)');
    expect(text).not.toContain('Evidence to renew');
  });
});
