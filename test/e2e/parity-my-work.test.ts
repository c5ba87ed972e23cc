import { registry } from '../../commands/index.ts';
import { myWorkScenarios } from '../scenarios/my-work.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for `my work`: the same queue, buttons and all-clear on both platforms, over real HTTP.

runOnBothPlatforms('my work', registry, myWorkScenarios);
