import { registry } from '../../commands/index.ts';
import { approvalScenarios } from '../scenarios/approvals-flow.ts';
import { findingWorkScenarios } from '../scenarios/finding-work.ts';
import { runOnBothPlatforms } from '../support/drivers/parity.ts';

// Slack/Teams parity for working findings and deciding approvals, as different people, over real HTTP.

runOnBothPlatforms('findings and approvals', registry, [...findingWorkScenarios, ...approvalScenarios]);
