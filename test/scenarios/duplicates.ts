import { expect } from 'vitest';
import type { Db } from '../../src/store/database.ts';
import { messageOf } from './driver.ts';
import type { Scenario } from './scenario.ts';
import { openSignalFinding, standardWorld } from './world.ts';

// Platforms deliver again what they think went unanswered: Slack retries with X-Slack-Retry-Num,
// Teams resends an activity with the same id after about 15 seconds. A second delivery must change
// nothing: one signal, one finding card, one audit entry, one line in the card's thread.

async function audited(db: Db, action: string): Promise<number> {
  const rows = await db.selectFrom('audit_log').select('seq').where('action', '=', action).execute();
  return rows.length;
}

export const duplicateScenarios: Scenario[] = [
  {
    name: 'a command delivered twice is applied once',
    async run(driver) {
      const { world } = await standardWorld(driver);
      const text = 'signal Globex Payroll exposed high Open S3 bucket at backups.globex.example';
      expect(messageOf(await driver.run('dana', text)).all).toContain('Recorded signal #1');
      await driver.redeliverLast();
      expect(await audited(world.deps.db, 'signal.record')).toBe(1);
      expect(await world.deps.db.selectFrom('signals').select('id').execute()).toHaveLength(1);
      expect(await driver.channelMessages('findings')).toHaveLength(1);
    },
  },
  {
    name: 'a button press delivered twice is applied once',
    async run(driver) {
      const { world, portfolio } = await standardWorld(driver);
      await openSignalFinding(world, portfolio.acme);
      const [card] = await driver.channelMessages('findings');
      expect(messageOf(await driver.click('dana', card!, 'Acknowledge')).all).toContain('Acknowledged finding #1.');
      await driver.redeliverLast();
      expect(await audited(world.deps.db, 'finding.acknowledge')).toBe(1);
      const [edited] = await driver.channelMessages('findings');
      expect(edited?.fields.State).toBe('Acknowledged');
      expect(await driver.thread(edited!)).toHaveLength(1);
    },
  },
];
