import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { requestEscalation } from '../../src/core/approvals/request.ts';
import { verifyAuditTrail } from '../../src/core/audit/verify.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import type { Role } from '../../src/core/common/vocabulary.ts';
import { acknowledge, assign, openFinding } from '../../src/core/findings/actions.ts';
import { proposeFix } from '../../src/core/findings/verified-closure.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { inTransaction } from '../../src/store/database.ts';
import { TEST_AUDIT_KEY } from '../support/audit-key.ts';
import { stateValues } from '../support/drivers/slack-inputs.ts';
import { trackProcessing } from '../support/drivers/slack-stack.ts';
import { insertVendor } from '../support/fixtures.ts';
import {
  blockActions,
  deliver,
  interaction,
  type ResponseUrlCatcher,
  type SlackRequest,
  startResponseUrlCatcher,
  viewSubmission,
} from '../support/slack-requests.ts';
import { type SlackServer, serveSlackApp } from '../support/slack-server.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// Races at scale: 200 pairs of conflicting clicks, each pair two different privileged people acting
// on the same finding or approval request at the same moment, all 400 requests in flight at once,
// signed, over real HTTP, through the real Bolt receiver. Afterwards every invariant is checked:
// one transition per finding version (no lost update, no double transition), one decision and one
// signature per approval request, an audit row for every state change, the audit trail verifying
// under the audit key, and every click answered 200 and then in words: the winner's confirmation,
// and for the loser a refusal naming the person who acted first.

const SECRET = 'races-signing-secret';
const PAIRS_PER_KIND = 25;

type Person = 'ana1' | 'ana2' | 'ana3' | 'app1' | 'app2' | 'owner' | 'fixer1' | 'fixer2';
const PEOPLE: Record<Person, { user: string; name: string }> = {
  ana1: { user: 'UANA1', name: 'Avery Analyst' },
  ana2: { user: 'UANA2', name: 'Blair Analyst' },
  ana3: { user: 'UANA3', name: 'Casey Analyst' },
  app1: { user: 'UAPP1', name: 'Drew Approver' },
  app2: { user: 'UAPP2', name: 'Emery Approver' },
  owner: { user: 'UOWNER', name: 'Olive Owner' },
  fixer1: { user: 'UFIX1', name: 'Frank Fixer' },
  fixer2: { user: 'UFIX2', name: 'Gale Fixer' },
};
const actor = (p: Person): Actor => ({ id: `slack:${PEOPLE[p].user}`, name: PEOPLE[p].name });

/** One side of a pair: a button that changes state at once, or a form opened earlier and now submitted. */
type Move =
  | { person: Person; click: string; success: RegExp }
  | { person: Person; form: string; values: Record<string, string>; assignee?: Person; success: RegExp };

interface Kind {
  name: string;
  /** The finding's state before the race; approval kinds also get a pending request. */
  setup: 'open' | 'acknowledged' | 'assigned' | 'fix_proposed' | 'pending_request';
  a: Move;
  b: Move;
}

const KINDS: Kind[] = [
  {
    name: 'acknowledge / acknowledge',
    setup: 'open',
    a: { person: 'ana1', click: 'finding.ack', success: /^Acknowledged finding #/ },
    b: { person: 'ana2', click: 'finding.ack', success: /^Acknowledged finding #/ },
  },
  {
    name: 'assign / assign',
    setup: 'acknowledged',
    a: { person: 'ana1', form: 'finding.assign', values: {}, assignee: 'fixer1', success: /^Assigned finding #/ },
    b: { person: 'ana2', form: 'finding.assign', values: {}, assignee: 'fixer2', success: /^Assigned finding #/ },
  },
  {
    name: 'escalate / resolve',
    setup: 'acknowledged',
    a: {
      person: 'ana1',
      form: 'finding.escalate',
      values: { reason: 'Leaked credentials still work.', action: 'suspend_access' },
      success: /^Asked the approvers/,
    },
    b: { person: 'ana2', form: 'finding.resolve', values: { note: 'Rotated and verified.' }, success: /^Resolved/ },
  },
  {
    name: 'approve / reject',
    setup: 'pending_request',
    a: { person: 'app1', click: 'approval.approve', success: /^Approved\. / },
    b: {
      person: 'app2',
      form: 'approval.reject',
      values: { reason: 'Suspension is too broad.' },
      success: /^Rejected\. /,
    },
  },
  {
    name: 'approve / approve',
    setup: 'pending_request',
    a: { person: 'app1', click: 'approval.approve', success: /^Approved\. / },
    b: { person: 'app2', click: 'approval.approve', success: /^Approved\. / },
  },
  {
    name: 'mark fixed / resolve',
    setup: 'assigned',
    a: { person: 'owner', form: 'finding.fixed', values: { note: 'Bucket made private.' }, success: /^Marked finding/ },
    b: { person: 'ana1', form: 'finding.resolve', values: { note: 'Checked, closed.' }, success: /^Resolved/ },
  },
  {
    name: 'verify / verify',
    setup: 'fix_proposed',
    a: { person: 'ana1', click: 'finding.verify', success: /^Verified the fix/ },
    b: { person: 'ana2', click: 'finding.verify', success: /^Verified the fix/ },
  },
  {
    name: 'verify / send back',
    setup: 'fix_proposed',
    a: { person: 'ana1', click: 'finding.verify', success: /^Verified the fix/ },
    b: { person: 'ana2', form: 'finding.sendback', values: { reason: 'Still reachable.' }, success: /^Sent the fix/ },
  },
];

interface Pair {
  index: number;
  kind: Kind;
  channel: string;
  findingId: number;
  requestId: number | null;
  sides: {
    move: Move;
    request?: SlackRequest;
    responsePath?: string;
    status?: number;
    ackBody?: string;
  }[];
}

let store: TestStore;
let api: SlackWebApi;
let responses: ResponseUrlCatcher;
let server: SlackServer;
let idle: () => Promise<void>;
const pairs: Pair[] = [];
const pairChannel = (i: number) => `CPAIR${String(i).padStart(3, '0')}`;

beforeAll(async () => {
  store = await createTestStore();
  const channels = Array.from({ length: KINDS.length * PAIRS_PER_KIND }, (_, i) => pairChannel(i));
  api = await startSlackWebApi({
    channels: ['CFINDINGS', 'CAPPROVALS', ...channels],
    users: Object.values(PEOPLE).map((p) => ({
      id: p.user,
      name: p.name.split(' ')[0]!.toLowerCase(),
      realName: p.name,
      displayName: p.name,
    })),
    postsPerSecondPerChannel: 10_000,
    tierPerMinute: { 1: 100_000, 2: 100_000, 3: 100_000, 4: 100_000 },
  });
  responses = await startResponseUrlCatcher();
  server = await serveSlackApp({ api, registry, deps: store.deps, secret: SECRET });
  idle = trackProcessing(server.app);
  await seed();
}, 120_000);

afterAll(async () => {
  await server?.close();
  await responses?.close();
  await api?.close();
  await store?.cleanup();
});

async function seed(): Promise<void> {
  const at = store.clock.now().toISOString();
  const grants: [Person, Role][] = [
    ['ana1', 'analyst'],
    ['ana2', 'analyst'],
    ['ana3', 'analyst'],
    ['app1', 'approver'],
    ['app2', 'approver'],
  ];
  await store.db
    .insertInto('role_grants')
    .values(grants.map(([p, role]) => ({ principal: actor(p).id, role, granted_by: 'cli:setup', granted_at: at })))
    .execute();
  const vendorId = await insertVendor(store, { name: 'Race Condition Labs', owner: actor('owner') });
  const deps = store.deps;
  for (const [k, kind] of KINDS.entries()) {
    for (let n = 0; n < PAIRS_PER_KIND; n += 1) {
      const index = k * PAIRS_PER_KIND + n;
      const made = await inTransaction(store.db, async (tx) => {
        const { finding } = await openFinding(tx, deps, actor('ana3'), {
          vendorId,
          dedupeKey: `race:${index}`,
          source: 'analyst',
          title: `Race ${index}: ${kind.name}`,
          detail: 'Two people act on this at the same moment.',
          severity: 'high',
        });
        let requestId: number | null = null;
        if (kind.setup !== 'open') await acknowledge(tx, deps, actor('ana3'), finding.id);
        if (kind.setup === 'assigned' || kind.setup === 'fix_proposed') {
          await assign(tx, deps, actor('ana3'), finding.id, actor('fixer1'));
        }
        if (kind.setup === 'fix_proposed') {
          await proposeFix(tx, deps, actor('owner'), finding.id, { note: 'Patched and rescanned.' });
        }
        if (kind.setup === 'pending_request') {
          const { request } = await requestEscalation(tx, deps, actor('ana3'), finding.id, {
            requestedAction: 'suspend_access',
            reason: 'The vendor cannot say who holds the keys.',
          });
          requestId = request.id;
        }
        return { findingId: finding.id, requestId };
      });
      pairs.push({ index, kind, channel: pairChannel(index), ...made, sides: [{ move: kind.a }, { move: kind.b }] });
    }
  }
}

function click(person: Person, actionId: string, value: string, channel: string) {
  const { user } = PEOPLE[person];
  const triggerId = api.issueTrigger(user);
  const responseUrl = responses.url();
  const request = interaction(
    blockActions({ userId: user, userName: person, channelId: channel, actionId, value, responseUrl, triggerId }),
    { secret: SECRET },
  );
  return { request, triggerId, responsePath: new URL(responseUrl).pathname };
}

/** Clicks the button that opens the form and returns the modal Slack was asked to open. */
async function openedForm(pair: Pair, person: Person, form: string): Promise<Record<string, unknown>> {
  const value = String(form.startsWith('approval.') ? pair.requestId : pair.findingId);
  const opener = click(person, form, value, pair.channel);
  const answer = await deliver(server.endpoint, opener.request);
  expect(answer.status).toBe(200);
  await idle();
  const call = api.calls('views.open').find((c) => c.args.trigger_id === opener.triggerId);
  if (!call) throw new Error(`${form} did not open for ${person}: ${JSON.stringify(responses.posts.at(-1))}`);
  const view = call.args.view;
  return (typeof view === 'string' ? JSON.parse(view) : view) as Record<string, unknown>;
}

/** Builds both sides' requests: forms are opened first (as the people did), then only the final clicks race. */
async function prepare(pair: Pair): Promise<void> {
  for (const [s, side] of pair.sides.entries()) {
    const { move } = side;
    if ('click' in move) {
      const value = String(move.click.startsWith('approval.') ? pair.requestId : pair.findingId);
      const built = click(move.person, move.click, value, pair.channel);
      side.request = built.request;
      side.responsePath = built.responsePath;
      continue;
    }
    const view = await openedForm(pair, move.person, move.form);
    const assignee = move.assignee;
    const values = stateValues(view, move.values, () => (assignee ? PEOPLE[assignee].user : ''));
    const submission = viewSubmission(
      PEOPLE[move.person].user,
      {
        id: `VRACE${pair.index}S${s}`,
        hash: `${pair.index}.${s}`,
        callbackId: String(view.callback_id),
        privateMetadata: String(view.private_metadata ?? ''),
        values: assignee
          ? { ...values, assignee: { assignee: { type: 'users_select', selected_user: PEOPLE[assignee].user } } }
          : values,
        opened: view,
      },
      move.person,
    );
    side.request = interaction(submission, { secret: SECRET });
  }
}

/** What the person saw: the response_url post for a click, the ack or the ephemeral reply for a submission. */
function answerOf(pair: Pair, side: Pair['sides'][number]): string {
  if (side.responsePath) {
    const posts = responses.posts.filter((p) => p.path === side.responsePath);
    expect(posts, `one answer to ${side.move.person} on pair ${pair.index}`).toHaveLength(1);
    return String(posts[0]?.body.text ?? '');
  }
  if (side.ackBody?.trim()) return side.ackBody;
  const shown = api.ephemerals(PEOPLE[side.move.person].user).filter((e) => e.channel === pair.channel);
  expect(shown, `one answer to ${side.move.person} on pair ${pair.index}`).toHaveLength(1);
  return shown[0]?.text ?? '';
}

describe('200 pairs of conflicting clicks at once, over HTTP through Bolt', () => {
  it('make one change per version and per request, audit every change, and tell every loser who won', async () => {
    for (const pair of pairs) await prepare(pair);
    const [{ seq: before } = { seq: 0 }] = await store.db
      .selectFrom('audit_log')
      .select('seq')
      .orderBy('seq', 'desc')
      .limit(1)
      .execute();

    const started = performance.now();
    // Every other pair sends its second click first, so each side of each kind gets to win.
    const sides = pairs.flatMap((p) => (p.index % 2 === 0 ? p.sides : [...p.sides].reverse()));
    await Promise.all(
      sides.map(async (side) => {
        const answer = await deliver(server.endpoint, side.request!);
        side.status = answer.status;
        side.ackBody = answer.body;
      }),
    );
    await idle();
    const raceMs = performance.now() - started;

    const rows = await store.db
      .selectFrom('audit_log')
      .select(['seq', 'actor_id', 'action', 'entity_type', 'entity_id', 'before', 'after'])
      .where('seq', '>', before)
      .orderBy('seq')
      .execute();
    const outcomes = new Map<string, { a: number; b: number }>();
    let refused = 0;
    for (const pair of pairs) {
      const moved = rows.filter(
        (r) => r.entity_type === 'finding' && r.entity_id === String(pair.findingId) && r.action.startsWith('finding.'),
      );
      expect(
        moved.map((r) => r.action),
        `finding of pair ${pair.index} (${pair.kind.name})`,
      ).toHaveLength(1);
      const winnerId = moved[0]!.actor_id;
      const winner = pair.sides.findIndex((s) => actor(s.move.person).id === winnerId);
      expect(winner, `pair ${pair.index}: the change was made by one of the two`).toBeGreaterThanOrEqual(0);
      if (pair.requestId !== null) {
        const decisions = rows.filter(
          (r) => r.entity_type === 'approval_request' && r.entity_id === String(pair.requestId),
        );
        expect(
          decisions.map((r) => r.actor_id),
          `request of pair ${pair.index}`,
        ).toEqual([winnerId]);
      }
      const [won, lost] = winner === 0 ? [pair.sides[0]!, pair.sides[1]!] : [pair.sides[1]!, pair.sides[0]!];
      const wonText = answerOf(pair, won);
      const lostText = answerOf(pair, lost);
      expect(wonText, `winner of pair ${pair.index}`).toMatch(won.move.success);
      expect(lostText, `loser of pair ${pair.index} (${pair.kind.name})`).not.toMatch(lost.move.success);
      expect(lostText, `loser of pair ${pair.index} (${pair.kind.name})`).not.toMatch(/something went wrong/i);
      expect(lostText, `loser of pair ${pair.index} (${pair.kind.name}) is told who acted first`).toContain(
        PEOPLE[won.move.person].name,
      );
      refused += 1;
      const tally = outcomes.get(pair.kind.name) ?? { a: 0, b: 0 };
      tally[winner === 0 ? 'a' : 'b'] += 1;
      outcomes.set(pair.kind.name, tally);
    }

    // Every finding's audited versions run 1, 2, 3, … without a gap or a repeat: each version was
    // changed once (no double transition), from the version the change read (no lost update).
    const findings = await store.db.selectFrom('findings').select(['id', 'version']).execute();
    const audited = await store.db
      .selectFrom('audit_log')
      .select(['entity_id', 'before', 'after'])
      .where('entity_type', '=', 'finding')
      .orderBy('seq')
      .execute();
    for (const f of findings) {
      const mine = audited.filter((r) => r.entity_id === String(f.id));
      const after = mine.map((r) => (JSON.parse(r.after ?? '{}') as { version: number }).version);
      const from = mine.slice(1).map((r) => (JSON.parse(r.before ?? '{}') as { version: number }).version);
      expect(after, `finding ${f.id}`).toEqual(Array.from({ length: f.version }, (_, i) => i + 1));
      expect(from, `finding ${f.id}`).toEqual(Array.from({ length: f.version - 1 }, (_, i) => i + 1));
    }
    // Every decided request carries exactly one signature and one audited decision; a pending one none.
    const requests = await store.db.selectFrom('approval_requests').select(['id', 'state']).execute();
    for (const r of requests) {
      const signatures = await store.db
        .selectFrom('signatures')
        .select('id')
        .where('record_type', '=', 'approval_request')
        .where('record_id', '=', r.id)
        .execute();
      const decisions = await store.db
        .selectFrom('audit_log')
        .select('seq')
        .where('entity_type', '=', 'approval_request')
        .where('entity_id', '=', String(r.id))
        .where('action', 'in', ['approval.approve', 'approval.reject'])
        .execute();
      const once = r.state === 'pending' ? 0 : 1;
      expect([r.state, signatures.length, decisions.length], `request ${r.id}`).toEqual([r.state, once, once]);
    }
    // Every request the race was about was decided (the ones escalations made during it wait).
    const raced = new Set(pairs.map((p) => p.requestId).filter((id) => id !== null));
    expect(requests.filter((r) => raced.has(r.id) && r.state === 'pending')).toEqual([]);
    const verdict = await verifyAuditTrail(store.db, { key: TEST_AUDIT_KEY });
    expect(verdict.problem).toBeUndefined();
    expect(verdict.ok).toBe(true);

    const lines = [...outcomes].map(([name, t]) => `${name}: first ${t.a}, second ${t.b}`).join('; ');
    const notOk = sides.filter((s) => s.status !== 200);
    console.log(
      `races: ${pairs.length} pairs (${sides.length} requests at once) in ${Math.round(raceMs)} ms; ` +
        `${notOk.length} not answered 200; ${rows.length} audit rows; ${pairs.length} changes made, ` +
        `${refused} conflicts refused with the winner named; ${lines}`,
    );
    // Every request was answered 200: Bolt answers 404 to one whose acknowledgement took over 3 seconds.
    expect(notOk.map((s) => `${'form' in s.move ? s.move.form : s.move.click}: ${s.status}`)).toEqual([]);
  }, 120_000);
});
