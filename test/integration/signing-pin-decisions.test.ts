import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { dispatchAction, dispatchForm } from '../../src/chat/dispatch.ts';
import type { Form } from '../../src/chat/reply.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import { requestNotRequired } from '../../src/core/incidents/decisions.ts';
import { declareIncident } from '../../src/core/incidents/declare.ts';
import { setSigningPin } from '../../src/core/signing/pin.ts';
import { inTransaction } from '../../src/store/database.ts';
import { slackContext } from '../support/command-world.ts';
import { counts, createTeamStore, dana, insertVendor, pat, quinn } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// The signing PIN is the second component of every electronic signature, not only of approvals: an
// incident decision is signed in a confirmation that asks for it, checked like an approval's (wrong:
// refused, counted, nothing else written). Activations and offboarding sign-offs ask for it the same
// way, on both platforms: test/e2e/parity-signing.test.ts.

const PIN = '246813';

describe('the signing PIN in incident decisions', () => {
  let store: TestStore;
  let decisionId: number;
  beforeEach(async () => {
    store = await createTeamStore();
    store.deps.signatureMode = 'pin';
    const vendorId = await insertVendor(store);
    const incident = await inTransaction(store.db, (tx) =>
      declareIncident(tx, store.deps, dana, { vendorId, scenario: 'datastore-exposed', summary: 'Open cluster' }),
    );
    const media = await store.db
      .selectFrom('incident_clocks')
      .select('id')
      .where('incident_id', '=', incident.id)
      .where('rule', '=', 'hipaa-media')
      .executeTakeFirstOrThrow();
    const { decision } = await inTransaction(store.db, (tx) =>
      requestNotRequired(tx, store.deps, pat, media.id, 'Fewer than 500 residents of any one state'),
    );
    decisionId = decision.id;
  });
  afterEach(() => store.cleanup());

  const ctx = (actor: Actor) => slackContext(store.deps, actor, null);
  const said = (outcome: unknown) => JSON.stringify(outcome);
  const decisionState = async () =>
    (await store.db.selectFrom('incident_decisions').select('state').where('id', '=', decisionId).executeTakeFirst())
      ?.state;

  it('asks for the signing PIN before an incident decision is signed, and refuses a wrong one writing nothing', async () => {
    await setSigningPin(store.db, store.deps, quinn, { pin: PIN });
    const opened = await dispatchAction(registry, ctx(quinn), 'incident.sign', String(decisionId));
    const form = (opened as { form: Form }).form;
    expect(form.fields.map((f) => [f.id, f.kind])).toEqual([['pin', 'secret']]);
    const before = await counts(store);
    expect(said(await dispatchForm(registry, ctx(quinn), 'incident.sign', { pin: '975310' }, form.state))).toContain(
      'Wrong signing PIN. 4 attempts left before signing locks. Nothing was signed.',
    );
    expect(await counts(store)).toEqual(before);
    expect(await decisionState()).toBe('pending');
    const signed = await dispatchForm(registry, ctx(quinn), 'incident.sign', { pin: PIN }, form.state);
    expect(said(signed)).toContain(`Signed decision D${decisionId}. Signed by Quinn Approver`);
    expect(await decisionState()).toBe('signed');
  });

  it('refuses to sign an incident decision without a signing PIN, and tells the requester before asking for one', async () => {
    const own = await dispatchAction(registry, ctx(pat), 'incident.sign', String(decisionId));
    expect(said(own)).toContain('You asked for this decision, so another approver must sign it.');
    const before = await counts(store);
    const refused = await dispatchForm(registry, ctx(quinn), 'incident.sign', { pin: PIN }, String(decisionId));
    expect(said(refused)).toContain('You have no signing PIN yet, so you cannot sign.');
    expect(await counts(store)).toEqual(before);
    expect(await decisionState()).toBe('pending');
  });
});
