import { registry } from '../../commands/index.ts';
import { signingEveryDecisionScenarios } from '../scenarios/signing-every-decision.ts';
import { signingPinScenarios } from '../scenarios/signing-pin.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for two-component signing: the signing PIN form, the PIN in the Approve and
// Reject confirmations, refusals that write nothing, and the lockout alert to the admins; and the PIN
// in every other signature too (incident decisions, activations, offboarding sign-offs).

runOnBothPlatforms('two-component signing', registry, [...signingPinScenarios, ...signingEveryDecisionScenarios]);
