import { registry } from '../../commands/index.ts';
import { lifecycleScenarios } from '../scenarios/lifecycle.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for the vendor lifecycle: intake, due diligence, signed activation, offboarding.

runOnBothPlatforms('vendor lifecycle', registry, lifecycleScenarios);
