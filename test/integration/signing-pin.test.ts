import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { dispatchAction, dispatchForm } from '../../src/chat/dispatch.ts';
import type { Form } from '../../src/chat/reply.ts';
import { requestEscalation } from '../../src/core/approvals/request.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import { checkSigningPin, resetSigningPin, setSigningPin } from '../../src/core/signing/pin.ts';
import { inputBlock } from '../../src/slack/form-inputs.ts';
import { inTransaction } from '../../src/store/database.ts';
import { renderForm } from '../../src/teams/forms.ts';
import { slackContext } from '../support/command-world.ts';
import { ada, counts, createTeamStore, dana, insertVendor, openTestFinding, outbox, pat } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// Two-component signing (21 CFR 11.200(a)(1), 11.300) through the approvals commands: the PIN is the
// second component beside the chat identity. Both platforms are covered end to end by
// test/e2e/parity-signing.test.ts; here the rules themselves.

const PIN = '246813';
const DAY = 86_400_000;

describe('two-component signing of approval decisions', () => {
  let store: TestStore;
  let requestId: number;
  beforeEach(async () => {
    store = await createTeamStore();
    store.deps.signatureMode = 'pin';
    await store.db
      .insertInto('role_grants')
      .values({
        principal: ada.id,
        role: 'admin',
        granted_by: 'cli:setup',
        granted_at: store.clock.now().toISOString(),
      })
      .execute();
    const opened = await openTestFinding(store, await insertVendor(store));
    const { request } = await inTransaction(store.deps.db, (tx) =>
      requestEscalation(tx, store.deps, dana, opened.id, { requestedAction: 'suspend_access', reason: 'Exposed' }),
    );
    requestId = request.id;
  });
  afterEach(() => store.cleanup());

  const ctx = (actor: Actor) => slackContext(store.deps, actor, null);
  const approve = (actor: Actor, pin: string) =>
    dispatchForm(registry, ctx(actor), 'approval.approve', { pin }, String(requestId));
  const said = (outcome: unknown) => JSON.stringify(outcome);
  const pinRows = () => store.db.selectFrom('signing_pins').selectAll().execute();

  it('refuses to sign without a signing PIN and writes nothing', async () => {
    const opened = await dispatchAction(registry, ctx(pat), 'approval.approve', String(requestId));
    const form = (opened as { form: Form }).form;
    expect(form.fields.map((f) => [f.id, f.kind])).toEqual([['pin', 'secret']]);
    const before = await counts(store);
    expect(said(await approve(pat, PIN))).toContain('You have no signing PIN yet, so you cannot sign.');
    expect(await counts(store)).toEqual(before);
    expect(await pinRows()).toEqual([]);
  });

  it('stores only a salted scrypt hash, never the PIN, and keeps it out of the audit trail', async () => {
    await setSigningPin(store.db, store.deps, pat, { pin: PIN });
    await setSigningPin(store.db, store.deps, dana, { pin: PIN });
    const rows = await pinRows();
    expect(rows.map((r) => r.person)).toEqual([pat.id, dana.id]);
    expect(rows[0]?.pin_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]?.salt).not.toBe(rows[1]?.salt);
    expect(rows[0]?.pin_hash).not.toBe(rows[1]?.pin_hash);
    const everything = JSON.stringify([await store.db.selectFrom('audit_log').selectAll().execute(), rows]);
    expect(everything).not.toContain(PIN);
  });

  it('counts a wrong PIN in its own transaction and writes nothing else', async () => {
    await setSigningPin(store.db, store.deps, pat, { pin: PIN });
    const before = await counts(store);
    expect(said(await approve(pat, '975310'))).toContain('Wrong signing PIN. 4 attempts left before signing locks.');
    expect(await counts(store)).toEqual(before);
    expect((await pinRows())[0]?.failures).toBe(1);
    const request = await store.db.selectFrom('approval_requests').selectAll().executeTakeFirstOrThrow();
    expect(request.state).toBe('pending');
  });

  it('locks signing after five wrong PINs, alerts the admins, and refuses the right PIN until an admin reset', async () => {
    await setSigningPin(store.db, store.deps, pat, { pin: PIN });
    for (let i = 0; i < 5; i += 1) await approve(pat, '975310');
    const alerts = (await outbox(store)).filter((r) => r.data.includes('Signing locked for Pat Approver'));
    expect(alerts.map((r) => r.target).sort()).toEqual(['slack:CAPPROVALS', ada.id]);
    const before = await counts(store);
    expect(said(await approve(pat, PIN))).toContain('Signing is locked for you after 5 wrong PINs');
    expect(await counts(store)).toEqual(before);

    await expect(inTransaction(store.db, (tx) => resetSigningPin(tx, store.deps, pat, pat.id))).rejects.toThrow(
      /Only admins|admin/,
    );
    await inTransaction(store.db, (tx) => resetSigningPin(tx, store.deps, ada, pat.id));
    const audit = await store.db.selectFrom('audit_log').select(['action', 'actor_id']).orderBy('seq').execute();
    expect(audit.slice(-1)).toEqual([{ action: 'signing_pin.reset', actor_id: ada.id }]);
    expect(audit.some((r) => r.action === 'signing_pin.locked')).toBe(true);
    await setSigningPin(store.db, store.deps, pat, { pin: '135790' });
    expect(said(await approve(pat, '135790'))).toContain('Approved. Signed by Pat Approver');
  });

  it('signs as before with the right PIN', async () => {
    await setSigningPin(store.db, store.deps, pat, { pin: PIN });
    expect(said(await approve(pat, PIN))).toContain('Approved. Signed by Pat Approver, 2026-06-01');
    const signature = await store.db.selectFrom('signatures').selectAll().executeTakeFirstOrThrow();
    expect([signature.signer_id, signature.meaning]).toEqual([pat.id, 'approval']);
  });

  it('asks for a new PIN once the PIN is older than signingPinMaxAgeDays', async () => {
    await setSigningPin(store.db, store.deps, pat, { pin: PIN });
    store.clock.advance(365 * DAY);
    await expect(checkSigningPin(store.db, store.deps, pat, PIN)).rejects.toThrow(
      'Your signing PIN is older than 365 days.',
    );
    await expect(setSigningPin(store.db, store.deps, pat, { pin: '135790' })).rejects.toThrow(
      'enter it to choose a new one',
    );
    await setSigningPin(store.db, store.deps, pat, { pin: '135790', currentPin: PIN });
    await expect(checkSigningPin(store.db, store.deps, pat, '135790')).resolves.toBeUndefined();
  });

  it('refuses weak PINs and an admin resetting their own PIN', async () => {
    for (const weak of ['12345', '111111', '123456', '12ab56']) {
      await expect(setSigningPin(store.db, store.deps, pat, { pin: weak })).rejects.toThrow(/PIN/);
    }
    await setSigningPin(store.db, store.deps, ada, { pin: PIN });
    await expect(inTransaction(store.db, (tx) => resetSigningPin(tx, store.deps, ada, ada.id))).rejects.toThrow(
      'another admin must',
    );
  });

  it('masks the PIN input on Teams and warns on Slack, where it cannot be masked', () => {
    const field = { id: 'pin', label: 'Your signing PIN', kind: 'secret' as const, hint: 'Slack shows the digits' };
    expect(inputBlock(field, {}).element).toMatchObject({ type: 'plain_text_input', multiline: false });
    const card = renderForm(
      { id: 'approval.approve', title: 'Approve', submitLabel: 'Sign', state: '1', fields: [field] },
      { own: true },
    );
    expect(JSON.stringify(card)).toContain('"style":"Password"');
  });
});
