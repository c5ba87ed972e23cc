import { registry } from '../../commands/index.ts';
import { administrationScenarios } from '../scenarios/administration.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for roles, subscriptions, the approvals list and reassessment requests.

runOnBothPlatforms('administration', registry, administrationScenarios);
