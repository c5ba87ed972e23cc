import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registry } from '../../commands/index.ts';
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

// The App Home tab as a live queue, over real HTTP: signed Slack requests into the Bolt app, the
// relay publishing Homes through the real notifier to the Web API stand-in. A decision signed from
// the Home tab takes the request off that approver's Home and off the other approver's, without
// either of them opening the tab again; the owner's Home follows the finding.

const RATE = 20;
let slack: SlackRelayHarness;

beforeEach(async () => {
  slack = await startSlackRelayHarness(
    {
      registry,
      users: [
        { id: 'UDANA', name: 'dana', realName: 'Dana Analyst', displayName: 'dana' },
        { id: 'UOLIVE', name: 'olive', realName: 'Olive Owner', displayName: 'olive' },
        { id: 'UPAT', name: 'pat', realName: 'Pat Approver', displayName: 'pat' },
        { id: 'UQUINN', name: 'quinn', realName: 'Quinn Approver', displayName: 'quinn' },
        { id: 'UVIC', name: 'vic', realName: 'Vic Viewer', displayName: 'vic' },
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
}

const elementsOf = (blocks: unknown[] | undefined): Element[] =>
  (blocks ?? []).flatMap((b) => ((b as { elements?: Element[] }).elements ?? []) as Element[]);

function button(blocks: unknown[] | undefined, label: string): Element {
  const found = elementsOf(blocks).find((e) => e.type === 'button' && e.text?.text === label);
  if (!found) throw new Error(`no ${label} button in ${JSON.stringify(blocks)}`);
  return found;
}

const homeOf = (user: string) => slack.api.homeView(user)?.view as { id?: string; blocks: unknown[] } | undefined;
const homeText = (user: string) => JSON.stringify(homeOf(user)?.blocks ?? []);
const publishesTo = (user: string) =>
  slack.api.calls('views.publish').filter((c) => (c as { args?: { user_id?: string } }).args?.user_id === user).length;

async function openHome(user: string): Promise<void> {
  const before = publishesTo(user);
  expect((await deliver(slack.endpoint, appHomeOpened(user, slack.sign))).status).toBe(200);
  await vi.waitFor(() => expect(publishesTo(user)).toBeGreaterThan(before));
}

async function clickOnMessage(user: string, channel: string, message: StoredMessage, label: string): Promise<void> {
  const b = button(message.blocks, label);
  const payload = blockActions({
    userId: user,
    channelId: channel,
    actionId: b.action_id,
    value: b.value ?? '',
    messageTs: message.ts,
    responseUrl: slack.responses.url(`${user}-${label}`),
    triggerId: slack.api.issueTrigger(user),
  });
  expect((await deliver(slack.endpoint, interaction(payload, slack.sign))).status).toBe(200);
}

async function clickOnHome(user: string, label: string): Promise<void> {
  const stored = slack.api.homeView(user);
  const b = button(homeOf(user)?.blocks, label);
  const payload = blockActions({
    userId: user,
    actionId: b.action_id,
    value: b.value ?? '',
    triggerId: slack.api.issueTrigger(user),
    view: { ...(stored?.view ?? {}), id: stored?.id },
  });
  expect((await deliver(slack.endpoint, interaction(payload, slack.sign))).status).toBe(200);
}

async function openFinding(): Promise<void> {
  await openTestFinding(slack.store, await insertVendor(slack.store));
  await slack.drain();
}

async function escalateFinding(): Promise<void> {
  const card = slack.api.messages('CFINDINGS')[0]!;
  await clickOnMessage('UOLIVE', 'CFINDINGS', card, 'Escalate');
  await vi.waitFor(() => expect(slack.api.lastView('UOLIVE')).toBeDefined());
  const view = slack.api.lastView('UOLIVE')?.view as { callback_id: string; private_metadata: string };
  const values: StateValues = {
    reason: { reason: { type: 'plain_text_input', value: 'Patient records exposed' } },
    action: {
      action: {
        type: 'static_select',
        selected_option: { text: { type: 'plain_text', text: 'deadline' }, value: 'remediation_deadline' },
      },
    },
    until: { until: { type: 'datepicker', selected_date: '2026-06-15' } },
  };
  const submission = viewSubmission('UOLIVE', {
    callbackId: view.callback_id,
    privateMetadata: view.private_metadata,
    values,
  });
  expect((await deliver(slack.endpoint, interaction(submission, slack.sign))).status).toBe(200);
  await vi.waitFor(async () =>
    expect(await slack.store.db.selectFrom('approval_requests').select('id').execute()).toHaveLength(1),
  );
  await slack.drain();
}

describe('the Home tab as a live queue', () => {
  it('takes a request off both approvers’ Homes once one of them approves it from the Home tab', async () => {
    for (const user of ['UPAT', 'UQUINN', 'UOLIVE', 'UDANA']) await openHome(user);
    expect(homeText('UPAT')).toContain('All clear');
    expect(homeText('UOLIVE')).toContain('Nothing needs you right now');
    await openFinding();
    // A new high finding: the owner has it to fix, the analyst has it to triage; nobody reopened a tab.
    expect(homeText('UOLIVE')).toContain('Findings to fix (1)');
    expect(homeText('UDANA')).toContain('Critical and high, unassigned (1)');

    await escalateFinding();
    // Nobody opened a tab again: the escalation itself republished the Homes whose queue it changed.
    expect(homeText('UPAT')).toContain('Decisions waiting for you (1)');
    expect(homeText('UQUINN')).toContain('Decisions waiting for you (1)');
    expect(homeText('UOLIVE')).not.toContain('Findings to fix');

    await clickOnHome('UPAT', 'Approve');
    await vi.waitFor(async () =>
      expect(
        (await slack.store.db.selectFrom('approval_requests').select('state').executeTakeFirstOrThrow()).state,
      ).toBe('approved'),
    );
    await slack.drain();

    expect(homeText('UPAT')).not.toContain('Decisions waiting for you');
    expect(homeText('UPAT')).toContain('No decisions are waiting for you.');
    expect(homeText('UQUINN')).not.toContain('Decisions waiting for you');
    // Approved escalation: the owner has the finding to fix again, by the approved deadline.
    expect(homeText('UOLIVE')).toContain('Findings to fix (1)');
    // Dana (analyst) sees the escalated finding nowhere in triage: it is assigned work, not breached.
    expect(homeText('UDANA')).not.toContain('Critical and high, unassigned');
  });

  it('refreshes only the Homes of people who opened theirs, once per burst of changes', async () => {
    await openFinding();
    await openHome('UPAT');
    const before = publishesTo('UPAT');
    await escalateFinding();
    // The finding card and the approval card of the escalation each asked for a refresh; one publish answers both.
    expect(publishesTo('UPAT')).toBe(before + 1);
    expect(publishesTo('UVIC')).toBe(0);
    expect(publishesTo('UQUINN')).toBe(0);
  });
});
