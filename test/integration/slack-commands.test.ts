import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { registry } from '../../commands/index.ts';
import { auditCount } from '../../src/core/audit/log.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { findVendorByName } from '../../src/core/vendors/lookup.ts';
import { messageBlockProblems } from '../../src/playground/slack-web-api-blocks.ts';
import { inTransaction } from '../../src/store/database.ts';
import { type SlackHarness, startSlackHarness } from '../support/slack-harness.ts';
import { blockActions, deliver, interaction, slashCommand, viewSubmission } from '../support/slack-requests.ts';

// The real registry behind the real Bolt app: signed slash commands over loopback HTTP, replies
// caught at their response_url, modals opened through the Web API stand-in, as Slack would do it.

const people = [
  { id: 'UADA', name: 'ada', realName: 'Ada Admin', displayName: 'ada' },
  { id: 'UDANA', name: 'dana', realName: 'Dana Analyst', displayName: 'dana' },
  { id: 'UOLIVE', name: 'olive', realName: 'Olive Owner', displayName: 'olive' },
  { id: 'UVIC', name: 'vic', realName: 'Vic Viewer', displayName: 'vic' },
];
const actor = (id: string): Actor => ({ id: `slack:${id}`, name: people.find((p) => p.id === id)?.realName ?? id });

type Posted = { response_type: string; replace_original: boolean; text: string; blocks: { type: string }[] };

describe('/vendor over signed HTTP', () => {
  let slack: SlackHarness;

  beforeEach(async () => {
    slack = await startSlackHarness({ registry, users: people, channels: ['CRISK', 'CSEC'] });
    const { store } = slack;
    await inTransaction(store.db, async (tx) => {
      await grantRole(tx, store.clock, actor('UADA'), 'slack:UADA', 'admin');
      await grantRole(tx, store.clock, actor('UADA'), 'slack:UDANA', 'analyst');
    });
  });

  afterEach(() => slack.close());

  /** Sends `/vendor <text>` as Slack does (mentions escaped); returns the response_url's name. */
  async function send(userId: string, text: string, triggerId?: string): Promise<string> {
    const name = crypto.randomUUID();
    const request = slashCommand(
      { text, userId, channelId: 'CRISK', responseUrl: slack.responses.url(name), ...(triggerId ? { triggerId } : {}) },
      slack.sign,
    );
    expect((await deliver(slack.endpoint, request)).status).toBe(200);
    return name;
  }

  const answerAt = (name: string) =>
    vi.waitFor(
      () => {
        const post = slack.responses.posts.find((p) => p.path.endsWith(name));
        if (!post) throw new Error('no reply yet');
        return post.body as Posted;
        // A generous bound: on a loaded machine (or a remote database) the reply takes more than waitFor's 1 s default.
      },
      { timeout: 15_000 },
    );

  const command = async (userId: string, text: string) => answerAt(await send(userId, text));

  it('answers every subcommand at its response_url, privately, with Slack mentions and links understood', async () => {
    await inTransaction(slack.store.deps.db, (tx) =>
      createVendor(tx, slack.store.deps, actor('UDANA'), {
        name: 'Acme Health',
        criticality: 'high',
        dataTypes: 'PHI',
      }),
    );
    const cases: [string, string, string][] = [
      ['UVIC', 'help', '/vendor posture &lt;vendor&gt;'],
      ['UVIC', 'my work', 'My work: all clear.'],
      ['UVIC', 'posture "Acme Health"', 'Acme Health: grade'],
      ['UVIC', 'list tier:critical', 'Acme Health'],
      ['UVIC', 'due 45d', 'Reassessment'],
      ['UVIC', 'findings Acme Health', 'Acme Health has no open findings.'],
      ['UDANA', 'add Globex data:PII owner:<@UOLIVE|olive> regs:GDPR', 'Added *Globex*: tier *high*'],
      ['UDANA', 'owner Acme Health <@UOLIVE|olive>', '<@UOLIVE> now owns *Acme Health*.'],
      [
        'UOLIVE',
        'evidence Acme Health soc2 expires:2027-03-31 <https://trust.acme.example/soc2.pdf>',
        'Recorded *SOC 2 Type II*',
      ],
      ['UDANA', 'signal Acme Health breach critical Vendor disclosed a breach', 'Opened finding #1'],
      ['UDANA', 'subscribe <#CSEC|security> tier:high', '<#CSEC> will now receive findings of high-tier vendors'],
      ['UDANA', 'unsubscribe <#CSEC|security>', '<#CSEC> will no longer receive findings.'],
      ['UADA', 'role <@UOLIVE|olive> approver', '<@UOLIVE> is now approver.'],
      ['UVIC', 'approvals', 'Only approvers can approve or reject requests.'],
      ['UVIC', 'reassess', 'Usage: `reassess &lt;vendor&gt;`'],
      ['UVIC', 'asset list "Acme Health"', 'has no declared assets'],
      ['UDANA', 'incident "Acme Health" datastore Elasticsearch open', 'Declared incident #1 at *Acme Health*'],
      ['UVIC', 'incidents', '#1 Acme Health: Elasticsearch open (Open, critical'],
      ['UVIC', 'request Globex', '`request` opens a form'],
      ['UDANA', 'review Globex', 'Due diligence started for *Globex*'],
      ['UDANA', 'activate Globex', 'cannot be put forward for activation while required evidence is missing'],
      ['UVIC', 'offboard Acme Health', "You don't have permission"],
      ['UVIC', 'pin 482913', 'Run `pin` on its own: the PIN is typed into a private form, never into a command.'],
    ];
    expect(new Set(cases.map(([, text]) => text.split(' ')[0]))).toEqual(new Set(registry.commands.map((c) => c.name)));
    for (const [user, text, expected] of cases) {
      const posted = await command(user, text);
      expect(posted.response_type, text).toBe('ephemeral');
      expect(posted.text, text).toContain(expected);
      // What Slack itself would refuse (invalid_blocks) never reaches the response_url.
      expect(messageBlockProblems(posted.blocks), text).toEqual([]);
    }
    expect(await findVendorByName(slack.store.db, 'Globex')).toMatchObject({ owner_id: 'slack:UOLIVE', tier: 'high' });
    const evidence = await slack.store.db.selectFrom('evidence').select('url').executeTakeFirstOrThrow();
    expect(evidence.url).toBe('https://trust.acme.example/soc2.pdf');
  });

  it('suggests the nearest vendor name for a typo, and refuses a viewer without writing', async () => {
    await inTransaction(slack.store.deps.db, (tx) =>
      createVendor(tx, slack.store.deps, actor('UDANA'), { name: 'Acme Health', criticality: 'high' }),
    );
    expect((await command('UVIC', 'posture Acme Helth')).text).toBe(
      'No vendor named “Acme Helth”. Did you mean “Acme Health”?',
    );
    const before = await auditCount(slack.store.db);
    expect((await command('UVIC', 'owner Acme Health <@UVIC|vic>')).text).toContain("You don't have permission");
    expect(await auditCount(slack.store.db)).toBe(before);
  });

  it('bare add opens the vendor form as a modal; submitting it creates the vendor, a duplicate gets a field error', async () => {
    await send('UDANA', 'add', slack.api.issueTrigger('UDANA'));
    const modal = await vi.waitFor(() => {
      const open = slack.api.lastView('UDANA');
      if (!open) throw new Error('no modal yet');
      return open.view as { callback_id: string; private_metadata: string; blocks: { block_id?: string }[] };
    });
    expect(modal.callback_id).toBe('vendor.add');
    expect(modal.blocks.flatMap((b) => (b.block_id ? [b.block_id] : []))).toEqual([
      'name',
      'services',
      'data',
      'criticality',
      'owner',
      'channel',
      'regs',
    ]);
    const values = {
      name: { name: { type: 'plain_text_input', value: 'Acme Health' } },
      services: { services: { type: 'plain_text_input', value: 'Claims processing' } },
      data: { data: { type: 'multi_static_select', selected_options: [{ value: 'PHI' }] } },
      criticality: { criticality: { type: 'radio_buttons', selected_option: { value: 'high' } } },
      owner: { owner: { type: 'users_select', selected_user: 'UOLIVE' } },
      channel: { channel: { type: 'radio_buttons', selected_option: { value: 'slack:CRISK' } } },
      regs: { regs: { type: 'multi_static_select', selected_options: [{ value: 'HIPAA' }] } },
    };
    const submitted = { callbackId: 'vendor.add', privateMetadata: modal.private_metadata, values };
    const first = await deliver(
      slack.endpoint,
      interaction(viewSubmission('UDANA', { ...submitted, hash: 'h1' }), slack.sign),
    );
    expect(first.status).toBe(200);
    await vi.waitFor(() =>
      expect(slack.api.ephemerals('UDANA').map((e) => e.text)).toEqual([
        expect.stringContaining('Added *Acme Health*: tier *critical*'),
      ]),
    );
    expect(await findVendorByName(slack.store.db, 'Acme Health')).toMatchObject({
      owner_id: 'slack:UOLIVE',
      channel: 'slack:CRISK',
    });
    const again = await deliver(
      slack.endpoint,
      interaction(viewSubmission('UDANA', { ...submitted, hash: 'h2' }), slack.sign),
    );
    expect(JSON.parse(again.body)).toEqual({
      response_action: 'errors',
      errors: { name: 'A vendor named “Acme Health” already exists. Nothing was added.' },
    });
  });

  it('pages a long list inside 50 blocks; Next replaces the message through the response_url', async () => {
    for (let i = 1; i <= 20; i++) {
      await inTransaction(slack.store.deps.db, (tx) =>
        createVendor(tx, slack.store.deps, actor('UDANA'), {
          name: `Vendor ${String(i).padStart(2, '0')} ${'x'.repeat(110)}`,
          criticality: 'low',
        }),
      );
    }
    const first = await command('UVIC', 'list');
    expect(first.blocks.length).toBeLessThanOrEqual(50);
    expect(first.text).toContain('Vendor 15');
    const actions = first.blocks.find((b) => b.type === 'actions') as unknown as {
      elements: { action_id: string; value: string; text: { text: string } }[];
    };
    const next = actions.elements.find((e) => e.text.text === 'Next')!;
    const name = crypto.randomUUID();
    const click = blockActions({
      userId: 'UVIC',
      channelId: 'CRISK',
      actionId: next.action_id,
      value: next.value,
      responseUrl: slack.responses.url(name),
    });
    expect((await deliver(slack.endpoint, interaction(click, slack.sign))).status).toBe(200);
    const second = await answerAt(name);
    expect(second.replace_original).toBe(true);
    expect(second.text).toContain('Vendor 16');
    expect(second.text).not.toContain('Vendor 15');
  });
});
