import { registry } from '../../commands/index.ts';
import { lookupScenarios } from '../scenarios/lookups.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for looking things up: the same scenarios, over real HTTP, on both platforms.

runOnBothPlatforms('looking things up', registry, lookupScenarios);
