import { registry } from '../../commands/index.ts';
import { inventoryScenarios } from '../scenarios/inventory.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for changing the inventory: the same scenarios, over real HTTP, on both platforms.

runOnBothPlatforms('changing the inventory', registry, inventoryScenarios);
