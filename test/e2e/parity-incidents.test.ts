import { registry } from '../../commands/index.ts';
import { incidentScenarios } from '../scenarios/incidents.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for vendor incidents, as different people, over real HTTP.

runOnBothPlatforms('vendor incidents', registry, incidentScenarios);
