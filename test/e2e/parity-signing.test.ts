import { registry } from '../../commands/index.ts';
import { signingPinScenarios } from '../scenarios/signing-pin.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for two-component signing: the signing PIN form, the PIN in the Approve and
// Reject confirmations, refusals that write nothing, and the lockout alert to the admins.

runOnBothPlatforms('two-component signing', registry, signingPinScenarios);
