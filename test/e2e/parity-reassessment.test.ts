import { registry } from '../../commands/index.ts';
import { duplicateScenarios } from '../scenarios/duplicates.ts';
import { reassessmentScenarios } from '../scenarios/reassessment.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for reassessments (prompt, questionnaire, new findings) and for deliveries the
// platform repeats, which must be applied once.

runOnBothPlatforms('reassessment and repeated deliveries', registry, [...reassessmentScenarios, ...duplicateScenarios]);
