import type { Routing } from '../core/common/deps.ts';

// Where the demo's cards go: one channel for findings, one for approvals. The playground shows these
// two channels, and the seed routes through them so every card it queues lands somewhere visible.

export const DEMO_FINDINGS_CHANNEL = 'slack:CDEMOFINDINGS';
export const DEMO_APPROVALS_CHANNEL = 'slack:CDEMOAPPROVALS';

export const DEMO_ROUTING: Routing = {
  findingsChannels: [DEMO_FINDINGS_CHANNEL],
  approvalsChannels: [DEMO_APPROVALS_CHANNEL],
};
