import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditTrail } from '../../src/core/audit/verify.ts';
import { type SlackWebApi, startSlackWebApi } from '../../src/playground/slack-web-api.ts';
import { TEST_AUDIT_KEY, TEST_AUDIT_KEY_HEX } from '../support/audit-key.ts';
import { insertVendor, openTestFinding } from '../support/fixtures.ts';
import { type KillChild, startKillChild } from '../support/kill-child.ts';
import {
  blockActions,
  deliver,
  interaction,
  type ResponseUrlCatcher,
  startResponseUrlCatcher,
} from '../support/slack-requests.ts';
import { createTestStore, type TestStore } from '../support/store.ts';

// A click Slack was answered for is not lost when the bot dies before committing it. Slack never
// sends a click twice, so the bot stores it before answering. Here the bot is killed with SIGKILL
// inside the acknowledgement's transaction, after Slack got its 200; two fresh processes then start
// on the same store at once, and the click is carried out exactly once, as the person who clicked,
// answered through its response_url with a word that it happened after a restart.

const SECRET = 'kill-inbox-signing-secret';
const ANALYST = { user: 'UKIA', principal: 'slack:UKIA', name: 'Kim Analyst' };

let store: TestStore;
let slack: SlackWebApi;
let responses: ResponseUrlCatcher;
const children: KillChild[] = [];

beforeEach(async () => {
  store = await createTestStore(new Date().toISOString());
  slack = await startSlackWebApi({
    channels: ['CRISK'],
    users: [{ id: ANALYST.user, name: 'kim', realName: ANALYST.name, displayName: 'kim' }],
  });
  responses = await startResponseUrlCatcher();
  await store.db
    .insertInto('role_grants')
    .values({
      principal: ANALYST.principal,
      role: 'analyst',
      granted_by: 'cli:setup',
      granted_at: new Date().toISOString(),
    })
    .execute();
});

afterEach(async () => {
  await Promise.all(children.splice(0).map((c) => c.kill()));
  await responses.close();
  await slack.close();
  await store.cleanup();
});

function startBotChild(freeze: boolean): KillChild {
  const child = startKillChild('kill-inbox.ts', [], {
    PORT: '0',
    DATABASE_URL: store.path,
    LOG_LEVEL: 'error',
    AUDIT_KEY: TEST_AUDIT_KEY_HEX,
    SLACK_BOT_TOKEN: slack.token,
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.url,
    INBOUND_LEASE_SECONDS: '2',
    FREEZE_ON_ACKNOWLEDGE: freeze ? '1' : '0',
  });
  children.push(child);
  return child;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a click acknowledged just before a SIGKILL', () => {
  it('is carried out once by the next process, as the person who clicked, and answered', async () => {
    const vendorId = await insertVendor(store, { name: 'Inbox Health' });
    const finding = await openTestFinding(store, vendorId, 'inbox:1');

    const first = startBotChild(true);
    const [, url] = (await first.waitFor(/^ready (\S+)$/)) as RegExpMatchArray;
    const responseUrl = responses.url('ack-click');
    const click = interaction(
      blockActions({
        userId: ANALYST.user,
        userName: 'kim',
        channelId: 'CRISK',
        actionId: 'finding.ack',
        value: String(finding.id),
        responseUrl,
      }),
      { secret: SECRET },
    );
    const answered = await deliver(`${url}/slack/events`, click);
    expect(answered.status).toBe(200);
    await first.waitFor(/^frozen$/);
    expect(await first.kill()).toBe('SIGKILL');

    // Slack was answered, nothing was committed: the click waits in the inbox, unfinished.
    const stateOf = () =>
      store.db
        .selectFrom('findings')
        .select(['state', 'version'])
        .where('id', '=', finding.id)
        .executeTakeFirstOrThrow();
    expect(await stateOf()).toEqual({ state: 'open', version: 1 });
    const inbox = () =>
      store.db.selectFrom('inbound_receipts').selectAll().where('key', 'like', 'slack:action:%').execute();
    expect((await inbox()).map((r) => [r.done_at, r.payload !== null])).toEqual([[null, true]]);
    expect(responses.posts).toEqual([]);

    // Two processes start on the store at once; whichever sweeps first after the lease re-runs it.
    const next = [startBotChild(false), startBotChild(false)];
    await Promise.all(next.map((c) => c.waitFor(/^ready /)));
    for (let waited = 0; responses.posts.length === 0; waited += 100) {
      if (waited > 30_000) throw new Error(`the click was not re-run: ${JSON.stringify(await inbox())}`);
      await sleep(100);
    }
    await sleep(2_500); // a second re-run, were there one, would have had a lease's time to happen

    const acks = await store.db
      .selectFrom('audit_log')
      .select(['actor_id', 'actor_name'])
      .where('action', '=', 'finding.acknowledge')
      .execute();
    expect(acks).toEqual([{ actor_id: ANALYST.principal, actor_name: ANALYST.name }]);
    expect(await stateOf()).toEqual({ state: 'acknowledged', version: 2 });
    const [row] = await inbox();
    expect(row?.done_at).not.toBeNull();
    expect(row?.payload).toBeNull();
    expect(responses.posts).toHaveLength(1);
    expect(responses.posts[0]?.path).toBe(new URL(responseUrl).pathname);
    const text = String(responses.posts[0]?.body.text);
    expect(text).toMatch(/^Your click at \d{4}-\d\d-\d\d \d\d:\d\d UTC was carried out after the bot restarted\./);
    expect(text).toContain(`Acknowledged finding #${finding.id}.`);
    expect((await verifyAuditTrail(store.db, { key: TEST_AUDIT_KEY })).ok).toBe(true);
  }, 120_000);
});
