import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAGE_SIZE } from '../../commands/support/pagination.ts';
import type { Outcome } from '../../src/chat/command.ts';
import { openFinding } from '../../src/core/findings/actions.ts';
import { renderMessage } from '../../src/slack/render.ts';
import { inTransaction } from '../../src/store/database.ts';
import { buttons, commandWorld, shown, type World } from '../support/command-world.ts';
import { dana, olive, vic } from '../support/fixtures.ts';

// Long lists page with Next/Previous. A click re-runs the query from the button's value and
// replaces the message; every page stays far inside Slack's 50 blocks, even with long names.

const lines = (outcome: Outcome) =>
  shown(outcome)
    .split('\n')
    .filter((l) => l.startsWith('**'));

describe('pagination', () => {
  let w: World;
  beforeEach(async () => {
    w = await commandWorld();
  });
  afterEach(() => w.cleanup());

  it('list pages 40 vendors 15 at a time; Next and Previous replace the message', async () => {
    const long = 'x'.repeat(100);
    for (let i = 1; i <= 40; i++)
      await w.vendor({ name: `Vendor ${String(i).padStart(2, '0')} ${long}`, ownerId: olive.id });
    const first = await w.run(vic, 'list');
    expect(shown(first)).toContain('Showing 1–15 of 40');
    expect(new Set(lines(first)).size).toBe(PAGE_SIZE);
    expect(buttons(first).map((b) => b.label)).toEqual(['Next']);
    expect('reply' in first && renderMessage(first.reply).blocks.length).toBeLessThanOrEqual(10);

    const next = buttons(first)[0]!;
    const second = await w.click(vic, next.action, next.value);
    expect(second).toMatchObject({ replace: true });
    expect(shown(second)).toContain('Showing 16–30 of 40');
    expect(shown(second)).toContain('Vendor 16');
    expect(shown(second)).not.toContain('Vendor 15');
    expect(buttons(second).map((b) => b.label)).toEqual(['Previous', 'Next']);

    const third = await w.click(vic, next.action, buttons(second)[1]!.value);
    expect(shown(third)).toContain('Showing 31–40 of 40');
    expect(buttons(third).map((b) => b.label)).toEqual(['Previous']);
    const back = await w.click(vic, next.action, buttons(third)[0]!.value);
    expect(shown(back)).toContain('Showing 16–30 of 40');
  });

  it('a page button keeps the filters, and a page past the end (the list shrank) shows the last page', async () => {
    for (let i = 1; i <= 20; i++) await w.vendor({ name: `Critical ${i}`, dataTypes: ['PHI'] });
    for (let i = 1; i <= 5; i++) await w.vendor({ name: `Low ${i}` });
    const first = await w.run(vic, 'list tier:critical');
    const next = buttons(first)[0]!;
    expect(next.value).toBe('tier=critical&page=1');
    const second = await w.click(vic, next.action, next.value);
    expect(shown(second)).toContain('Showing 16–20 of 20');
    expect(shown(second)).not.toContain('Low');
    expect(shown(await w.click(vic, next.action, 'tier=critical&page=9'))).toContain('Showing 16–20 of 20');
    expect(shown(await w.click(vic, next.action, 'tier=critical&page=-1'))).toContain('That page no longer exists');
  });

  it("findings page too; the posture card's Show findings adds a new message, later pages replace it", async () => {
    const acme = await w.vendor({ name: 'Acme Health' });
    await inTransaction(w.store.db, async (tx) => {
      for (let i = 1; i <= 18; i++) {
        const input = {
          vendorId: acme.id,
          dedupeKey: `k${i}`,
          source: 'test',
          title: `Issue ${i}`,
          detail: '',
          severity: 'low' as const,
        };
        await openFinding(tx, w.store.deps, dana, input);
      }
    });
    const card = await w.run(vic, 'posture Acme Health');
    const show = buttons(card).find((b) => b.label === 'Show findings')!;
    const list = await w.click(vic, show.action, show.value);
    expect(list).toMatchObject({ replace: false });
    expect(shown(list)).toContain('Open findings: Acme Health');
    expect(shown(list)).toContain('Showing 1–15 of 18');
    const next = buttons(list).find((b) => b.label === 'Next')!;
    expect(await w.click(vic, next.action, next.value)).toMatchObject({ replace: true });
  });

  it('due pages the merged list of reviews and evidence', async () => {
    for (let i = 1; i <= 17; i++) await w.vendor({ name: `Due ${String(i).padStart(2, '0')}` });
    const first = await w.run(vic, 'due 45d');
    expect(shown(first)).toContain('Showing 1–15 of 17');
    const next = buttons(first)[0]!;
    expect(next.value).toBe('days=45&page=1');
    const second = await w.click(vic, next.action, next.value);
    expect(shown(second)).toContain('Showing 16–17 of 17');
    expect(shown(second)).toContain('Due 17');
  });
});
