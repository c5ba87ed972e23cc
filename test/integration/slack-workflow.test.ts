import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { approvals } from '../../commands/approvals.ts';
import { findingActions } from '../../commands/finding-actions.ts';
import { home } from '../../commands/home.ts';
import { reassess } from '../../commands/reassess.ts';
import { buildRegistry } from '../../src/chat/command.ts';
import type { StoredMessage } from '../../src/playground/slack-web-api.ts';
import { grantRoles, insertVendor, openTestFinding } from '../support/fixtures.ts';
import { type SlackRelayHarness, startSlackRelayHarness } from '../support/slack-harness.ts';
import {
  appHomeOpened,
  blockActions,
  deliver,
  interaction,
  type StateValues,
  viewSubmission,
} from '../support/slack-requests.ts';

// The whole loop over real HTTP: signed Slack requests into the Bolt app, the handlers and the core
// writing to a real store, the relay sending the outbox through the real notifier and WebClient to
// the Web API stand-in. The finding card must be one message, edited in place, carrying the
// signer's printed name, with its history threaded under it.

const RATE = 20;

let slack: SlackRelayHarness;

beforeEach(async () => {
  slack = await startSlackRelayHarness(
    {
      registry: buildRegistry([findingActions, approvals, reassess], home),
      users: [
        { id: 'UDANA', name: 'dana', realName: 'Dana Analyst', displayName: 'dana' },
        { id: 'UOLIVE', name: 'olive', realName: 'Olive Owner', displayName: 'olive' },
        { id: 'UPAT', name: 'pat', realName: 'Pat Approver', displayName: 'pat' },
        { id: 'UQUINN', name: 'quinn', realName: 'Quinn Approver', displayName: 'quinn' },
      ],
      channels: ['CFINDINGS', 'CAPPROVALS'],
      findingsChannel: 'CFINDINGS',
      approvalsChannel: 'CAPPROVALS',
    },
    RATE,
  );
  await grantRoles(slack.store);
});

afterEach(() => slack.close());

interface Element {
  type: string;
  action_id: string;
  value?: string;
  text?: { text: string };
  confirm?: { text: { text: string } };
}

/** The button with this label on a message, as Slack would show it. */
function buttonOn(message: StoredMessage | undefined, label: string): Element {
  const elements = (message?.blocks ?? []).flatMap(
    (b) => ((b as { elements?: Element[] }).elements ?? []) as Element[],
  );
  const button = elements.find((e) => e.type === 'button' && e.text?.text === label);
  if (!button) throw new Error(`no ${label} button on ${JSON.stringify(message?.blocks)}`);
  return button;
}

/** A person clicks a button on a channel message, over signed HTTP. */
async function click(user: string, channel: string, message: StoredMessage, label: string): Promise<void> {
  const button = buttonOn(message, label);
  const payload = blockActions({
    userId: user,
    channelId: channel,
    actionId: button.action_id,
    value: button.value ?? '',
    messageTs: message.ts,
    responseUrl: slack.responses.url(`${user}-${label}`),
    triggerId: slack.api.issueTrigger(user),
  });
  expect((await deliver(slack.endpoint, interaction(payload, slack.sign))).status).toBe(200);
}

/** Fills in and submits the modal the person has open. */
async function submitModal(user: string, values: StateValues): Promise<string> {
  await vi.waitFor(() => expect(slack.api.lastView(user)).toBeDefined());
  const view = slack.api.lastView(user)?.view as { callback_id: string; private_metadata: string };
  const submission = viewSubmission(user, {
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values,
  });
  const answer = await deliver(slack.endpoint, interaction(submission, slack.sign));
  expect(answer.status).toBe(200);
  return answer.body;
}

const plainInput = (id: string, value: string) => ({ [id]: { [id]: { type: 'plain_text_input', value } } });
const escalation = (reason: string, action: string, until?: string): StateValues => ({
  ...plainInput('reason', reason),
  action: {
    action: { type: 'static_select', selected_option: { text: { type: 'plain_text', text: action }, value: action } },
  },
  until: { until: { type: 'datepicker', selected_date: until ?? null } },
});
const cardIn = (channel: string) => slack.api.messages(channel)[0];
/** Every private answer a person has been shown, as one string. */
const ephemeralTexts = (user: string) =>
  slack.api
    .ephemerals(user)
    .map((e) => e.text)
    .join();
const blocksText = (m: StoredMessage | undefined) => `${m?.text ?? ''}\n${JSON.stringify(m?.blocks ?? [])}`;

async function escalateAndPostRequest(): Promise<{ card: StoredMessage; request: StoredMessage }> {
  await openTestFinding(slack.store, await insertVendor(slack.store));
  await slack.drain();
  const card = cardIn('CFINDINGS')!;
  expect(buttonOn(card, 'Acknowledge')).toBeDefined();
  await click('UOLIVE', 'CFINDINGS', card, 'Escalate');
  expect(await submitModal('UOLIVE', escalation('Patient records exposed', 'remediation_deadline', '2026-06-15'))).toBe(
    '',
  );
  await vi.waitFor(() => expect(ephemeralTexts('UOLIVE')).toContain('Asked the approvers'));
  await slack.drain();
  const request = cardIn('CAPPROVALS');
  expect(request).toBeDefined();
  return { card, request: request! };
}

describe('finding and approval workflow in Slack', () => {
  it('escalate, then approve as another person: both cards are edited in place with the signature', async () => {
    const { card, request } = await escalateAndPostRequest();
    expect(buttonOn(request, 'Approve').confirm?.text.text).toBe(
      "You are signing this approval electronically. Your name, the UTC time and the meaning 'approval' are recorded and shown.",
    );

    slack.store.clock.advance(20 * 60_000);
    await click('UPAT', 'CAPPROVALS', request, 'Approve');
    await vi.waitFor(() =>
      expect(slack.responses.posts.map((p) => p.body.text).join()).toContain('Approved. Signed by Pat Approver'),
    );
    await slack.drain();

    const findingCards = slack.api.messages('CFINDINGS');
    expect(findingCards).toHaveLength(1);
    const edited = findingCards[0]!;
    expect(edited.ts).toBe(card.ts);
    expect(edited.edits.length).toBeGreaterThanOrEqual(2);
    expect(blocksText(edited)).toContain('Signed by Pat Approver, 2026-06-01 09:20 UTC, meaning: approval');
    expect(blocksText(edited)).not.toContain('"Acknowledge"');
    const approvalCards = slack.api.messages('CAPPROVALS');
    expect(approvalCards).toHaveLength(1);
    expect(approvalCards[0]!.ts).toBe(request.ts);
    expect(blocksText(approvalCards[0])).toContain(
      'Approved. Signed by Pat Approver, 2026-06-01 09:20 UTC, meaning: approval',
    );
    expect(blocksText(approvalCards[0])).not.toContain('"Approve"');

    expect(slack.api.threadReplies('CFINDINGS', card.ts).map((m) => m.text)).toEqual([
      'Escalation (Set a remediation deadline by 2026-06-15) requested by Olive Owner: Patient records exposed',
      'Escalation (Set a remediation deadline by 2026-06-15) approved by Pat Approver at 2026-06-01 09:20 UTC',
    ]);
  });

  it('escalate, then reject with a reason as another person: the card shows the signed rejection', async () => {
    const { card, request } = await escalateAndPostRequest();
    await click('UQUINN', 'CAPPROVALS', request, 'Reject');
    const refused = await submitModal('UQUINN', plainInput('reason', ' '));
    expect(JSON.parse(refused)).toEqual({
      response_action: 'errors',
      errors: { reason: 'Say why: the requester reads this.' },
    });
    expect(await submitModal('UQUINN', plainInput('reason', 'Give the vendor until Friday'))).toBe('');
    await vi.waitFor(() => expect(ephemeralTexts('UQUINN')).toContain('Rejected. Signed by Quinn Approver'));
    await slack.drain();

    const edited = slack.api.messages('CFINDINGS');
    expect(edited.map((m) => m.ts)).toEqual([card.ts]);
    expect(blocksText(edited[0])).toContain(
      'Signed by Quinn Approver, 2026-06-01 09:00 UTC, meaning: rejection, reason: Give the vendor until Friday',
    );
    // Back to open, with its buttons again.
    expect(buttonOn(edited[0], 'Acknowledge')).toBeDefined();
    expect(slack.api.messages('CAPPROVALS').map((m) => m.ts)).toEqual([request.ts]);
    expect(slack.api.threadReplies('CFINDINGS', card.ts).map((m) => m.text)).toEqual([
      'Escalation (Set a remediation deadline by 2026-06-15) requested by Olive Owner: Patient records exposed',
      'Escalation (Set a remediation deadline by 2026-06-15) rejected by Quinn Approver at 2026-06-01 09:00 UTC: Give the vendor until Friday',
    ]);
  });

  it('refuses the requester approving their own request, privately, and the card stays as it was', async () => {
    await slack.store.db
      .insertInto('role_grants')
      .values({
        principal: 'slack:UOLIVE',
        role: 'approver',
        granted_by: 'cli:setup',
        granted_at: '2026-06-01T08:00:00.000Z',
      })
      .execute();
    const { request } = await escalateAndPostRequest();
    await click('UOLIVE', 'CAPPROVALS', request, 'Approve');
    await vi.waitFor(() =>
      expect(slack.responses.posts.map((p) => p.body.text)).toContain(
        'You requested this escalation, so another approver must decide it.',
      ),
    );
    const refusal = slack.responses.posts.find((p) => String(p.body.text).startsWith('You requested'));
    expect(refusal?.body).toMatchObject({ response_type: 'ephemeral', replace_original: false });
    await slack.drain();
    expect(slack.api.messages('CAPPROVALS')[0]?.edits).toEqual([]);
    expect(await slack.store.db.selectFrom('signatures').selectAll().execute()).toEqual([]);
  });

  it('shows an approver the waiting request on the Home tab, with the signing dialog on Approve', async () => {
    await escalateAndPostRequest();
    expect((await deliver(slack.endpoint, appHomeOpened('UPAT', slack.sign))).status).toBe(200);
    await vi.waitFor(() => expect(slack.api.homeView('UPAT')).toBeDefined());
    const view = slack.api.homeView('UPAT')?.view as { blocks: unknown[] };
    const text = JSON.stringify(view.blocks);
    expect(text).toContain('Decisions waiting for you (1)');
    expect(text).toContain('Escalation #1: Set a remediation deadline by 2026-06-15');
    expect(text).toContain("the meaning 'approval' are recorded and shown.");
    expect(text).not.toContain('Findings to fix');
  });
});
