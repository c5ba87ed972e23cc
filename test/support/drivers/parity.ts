import { afterAll, beforeAll, describe, it } from 'vitest';
import type { Registry } from '../../../src/chat/command.ts';
import type { ChatDriver } from '../../scenarios/driver.ts';
import type { Scenario } from '../../scenarios/scenario.ts';
import { SlackDriver } from './slack-driver.ts';
import { TeamsDriver } from './teams-driver.ts';

// Runs a list of scenarios against both platforms: one running bot per platform for the file, a fresh
// store for each scenario.

export const PLATFORMS = ['slack', 'teams'] as const;

export function startDriver(platform: (typeof PLATFORMS)[number], registry: Registry): Promise<ChatDriver> {
  return platform === 'slack' ? SlackDriver.start(registry) : TeamsDriver.start(registry);
}

export function runOnBothPlatforms(title: string, registry: Registry, scenarios: readonly Scenario[]): void {
  describe.each(PLATFORMS)(`${title} on %s`, (platform) => {
    let driver: ChatDriver | null = null;
    beforeAll(async () => {
      driver = await startDriver(platform, registry);
    });
    afterAll(async () => {
      await driver?.close();
    });
    for (const scenario of scenarios) {
      it(scenario.name, async () => {
        if (!driver) throw new Error(`the ${platform} driver did not start`);
        await scenario.run(driver);
      });
    }
  });
}
