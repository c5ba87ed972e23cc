import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { renderNotification } from '../../src/chat/notifications/index.ts';
import { recordSignal } from '../../src/core/signals/record.ts';
import { createVendor } from '../../src/core/vendors/create-update.ts';
import { renderMessage as renderSlack } from '../../src/slack/render.ts';
import { inTransaction } from '../../src/store/database.ts';
import { renderCard as renderTeams } from '../../src/teams/render.ts';
import { createAnalystStore, dana, outbox } from '../support/fixtures.ts';
import type { TestStore } from '../support/store.ts';

// Issue 9, reproduction 4: a monitoring signal whose summary carries a mention and a phishing link
// was posted to the findings channel as a live mention and a live link. The finding card the outbox
// sends now shows the summary as text on both platforms.

const PHISH = 'Urgent <@slack:U0ADMIN|x> please [re-verify your SSO session](https://evil.example/sso) <!channel>';

describe('a hostile signal summary on the finding card', () => {
  let store: TestStore;
  beforeEach(async () => {
    store = await createAnalystStore();
    const vendor = await inTransaction(store.deps.db, (tx) =>
      createVendor(tx, store.deps, dana, {
        name: 'TrialCloud [login](https://evil.example)',
        criticality: 'high',
        dataTypes: ['PHI'],
        regulatoryScope: ['HIPAA'],
      }),
    );
    await inTransaction(store.deps.db, (tx) =>
      recordSignal(tx, store.deps, dana, {
        vendorId: vendor.id,
        source: 'attack-surface',
        externalId: 'evt-phish',
        kind: 'breach_report',
        severity: 'critical',
        summary: PHISH,
        details: { note: PHISH },
        observedAt: '2026-06-01T08:30:00Z',
      }),
    );
  });
  afterEach(() => store.cleanup());

  it('renders as text: no mention, no link, no broadcast, in Slack and in Teams', async () => {
    const row = (await outbox(store)).find((r) => r.template === 'finding-card');
    const reply = await renderNotification(store.deps)(row!);
    expect(reply).not.toBeNull();
    const slack = JSON.stringify(renderSlack(reply!));
    expect(slack).not.toContain('<@U0ADMIN>');
    expect(slack).not.toContain('<https://evil.example');
    expect(slack).not.toContain('<!channel>');
    expect(slack).toContain('re-verify your SSO session');
    const teams = renderTeams(reply!);
    // The card body is Markdown; the fallback and summary are plain text that Teams shows as typed.
    const json = JSON.stringify(teams.body);
    expect(teams.msteams.entities).toBeUndefined();
    expect(json).not.toMatch(/\]\(https:\/\/evil/);
    expect(json).toContain('re-verify your SSO session');
  });
});
