import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registry } from '../../commands/index.ts';
import { approvalScenarios } from '../scenarios/approvals-flow.ts';
import { findingWorkScenarios } from '../scenarios/finding-work.ts';
import { lookupScenarios } from '../scenarios/lookups.ts';
import { SlackDriver } from '../support/drivers/slack-driver.ts';

// Socket Mode, for teams that cannot expose a public URL: the real Bolt app connects out to a local
// stand-in speaking Slack's protocol (apps.connections.open with the app-level token, hello,
// envelopes, acknowledgements, disconnect and reconnect) and runs the same command and action
// scenarios the HTTP tests run.

let driver: SlackDriver;

beforeAll(async () => {
  driver = await SlackDriver.start(registry, 'socket-mode');
});

afterAll(async () => {
  await driver?.close();
});

describe('Slack over Socket Mode', () => {
  for (const scenario of [...lookupScenarios, ...findingWorkScenarios, ...approvalScenarios]) {
    it(scenario.name, () => scenario.run(driver));
  }

  it('reconnects when Slack recycles the connection, and goes on answering', async () => {
    const socket = driver.socketMode;
    if (!socket) throw new Error('the driver is not in Socket Mode');
    const opened = socket.connections.length;
    await socket.recycle();
    await socket.connected(1);
    expect(socket.connections.length).toBeGreaterThan(opened);
    await lookupScenarios[0]?.run(driver);
  });
});
