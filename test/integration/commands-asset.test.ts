import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ASSET_AUTHORISE_ACTION } from '../../commands/asset.ts';
import { registry } from '../../commands/index.ts';
import type { ChatContext, Platform } from '../../src/chat/command.ts';
import { dispatchAction, dispatchCommand } from '../../src/chat/dispatch.ts';
import { auditTrail } from '../../src/core/audit/log.ts';
import { checkableAssets } from '../../src/core/exposure/schedule.ts';
import { createLogger } from '../../src/log.ts';
import { buttons, commandWorld, shown, type World } from '../support/command-world.ts';
import { dana, vic } from '../support/fixtures.ts';

// `/vendor asset ...` through the shared command module, as Slack and Teams both dispatch it: declare,
// confirm the vendor's authorisation with the button (who and when recorded), list, remove.

const log = createLogger('silent');

describe.each(['slack', 'teams'] as Platform[])('asset command on %s', (platform) => {
  let w: World;
  let vendorId: number;
  const ctx = (actor: typeof dana): ChatContext => ({ deps: w.store.deps, log, actor, platform, channel: null });
  const run = (actor: typeof dana, text: string) => dispatchCommand(registry, ctx(actor), text);

  beforeEach(async () => {
    w = await commandWorld();
    vendorId = (await w.vendor({ name: 'Acme Health' })).id;
  });
  afterEach(() => w.cleanup());

  it('declares an asset unauthorised, and the button records who confirmed the vendor authorised it', async () => {
    const added = await run(dana, 'asset add "Acme Health" search.acme.example:9200 elasticsearch patient search');
    expect(shown(added)).toContain(
      'Declared for **Acme Health**: `http://search.acme.example:9200` elasticsearch: not checked until the vendor’s authorisation is confirmed. patient search',
    );
    expect(await checkableAssets(w.store.db, vendorId)).toEqual([]);
    const [button] = buttons(added);
    expect(button).toMatchObject({ action: ASSET_AUTHORISE_ACTION, label: 'Vendor authorised checks' });
    expect(button?.confirm?.text).toContain('Acme Health authorised us to check http://search.acme.example:9200');

    const confirmed = await dispatchAction(registry, ctx(dana), ASSET_AUTHORISE_ACTION, button?.value ?? '');
    expect(shown(confirmed)).toContain('checked; authorised by Dana Analyst at 2026-06-01 09:00 UTC');
    const [checkable] = await checkableAssets(w.store.db, vendorId);
    expect(checkable?.asset).toMatchObject({
      authorised_by: 'Dana Analyst',
      authorised_at: '2026-06-01T09:00:00.000Z',
    });
    expect((await auditTrail(w.store.db, 'vendor', vendorId)).map((a) => [a.action, a.actor_name])).toEqual(
      expect.arrayContaining([
        ['vendor.asset_add', 'Dana Analyst'],
        ['vendor.asset_authorise', 'Dana Analyst'],
      ]),
    );
    const again = await dispatchAction(registry, ctx(dana), ASSET_AUTHORISE_ACTION, button?.value ?? '');
    expect(shown(again)).toContain('was already authorised by Dana Analyst');
  });

  it('lists and removes; viewers may look but not change', async () => {
    await run(dana, 'asset add Acme Health https://portal.acme.example');
    await run(dana, 'asset authorise Acme Health https://portal.acme.example');
    expect(shown(await run(vic, 'asset list Acme Health'))).toContain(
      '`https://portal.acme.example` tls: checked; authorised by Dana Analyst',
    );
    const before = await w.audits();
    expect(shown(await run(vic, 'asset remove "Acme Health" https://portal.acme.example'))).toMatch(
      /analysts and admins/,
    );
    expect(await w.audits()).toBe(before);
    expect(shown(await run(dana, 'asset remove "Acme Health" other.acme.example:443'))).toMatch(
      /No declared asset “other\.acme\.example:443”.*Declared: https:\/\/portal\.acme\.example/,
    );
    expect(shown(await run(dana, 'asset remove "Acme Health" https://portal.acme.example/'))).toContain(
      'Removed `https://portal.acme.example` from **Acme Health**',
    );
    expect(shown(await run(vic, 'asset list Acme Health'))).toBe('**Acme Health** has no declared assets.');
  });

  it('shows in the posture when the authorised assets were last checked and what was found', async () => {
    await run(dana, 'asset add "Acme Health" search.acme.example:9200 elasticsearch');
    expect(shown(await run(vic, 'posture Acme Health'))).not.toContain('Exposure checks');
    await run(dana, 'asset authorise "Acme Health" search.acme.example:9200');
    expect(shown(await run(vic, 'posture Acme Health'))).toContain(
      'Exposure checks: not checked yet: 1 asset, 0 exposed',
    );

    const [checkable] = await checkableAssets(w.store.db, vendorId);
    await w.store.db
      .insertInto('exposure_checks')
      .values({
        asset_id: checkable?.asset.id ?? 0,
        vendor_id: vendorId,
        checked_at: '2026-06-01T07:00:00.000Z',
        check_kind: 'elasticsearch',
        target: 'http://search.acme.example:9200',
        address: '203.0.113.9',
        outcome: 'passed',
        asked: 'GET /',
        answered: '401 Unauthorized',
        facts: '{}',
        problems: '[]',
      })
      .execute();
    expect(shown(await run(vic, 'posture Acme Health'))).toContain(
      'Exposure checks: last checked 2 h ago: 1 asset, 0 exposed',
    );
  });

  it('explains what it needs when the words do not fit', async () => {
    expect(shown(await run(dana, 'asset'))).toMatch(/Say what to do: add, remove, authorise, list/);
    expect(shown(await run(dana, 'asset add Acme Health'))).toMatch(/then the asset/);
    expect(shown(await run(dana, 'asset add Acme Health files.acme.example:8443'))).toMatch(/Say what runs at/);
  });
});
