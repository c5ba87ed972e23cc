import { describe, expect, it } from 'vitest';
import { FINDING_STATES } from '../../src/core/common/vocabulary.ts';
import { tierAdmitted } from '../../src/core/findings/routing.ts';
import {
  availableActions,
  canTransition,
  isFinal,
  nextState,
  stateAfterRejection,
  statesAllowing,
} from '../../src/core/findings/states.ts';

describe('finding state machine', () => {
  it('walks the happy path open -> acknowledged -> assigned -> escalation pending -> escalated -> fix proposed -> resolved', () => {
    expect(nextState('open', 'acknowledge')).toBe('acknowledged');
    expect(nextState('acknowledged', 'assign')).toBe('assigned');
    expect(nextState('assigned', 'escalate')).toBe('escalation_pending');
    expect(nextState('escalation_pending', 'approve_escalation')).toBe('escalated');
    expect(nextState('escalated', 'propose_fix')).toBe('fix_proposed');
    expect(nextState('fix_proposed', 'verify_fix')).toBe('resolved');
  });

  it('assigns straight from open and re-assigns; an escalated finding stays escalated when assigned', () => {
    expect(nextState('open', 'assign')).toBe('assigned');
    expect(nextState('assigned', 'assign')).toBe('assigned');
    expect(nextState('escalated', 'assign')).toBe('escalated');
  });

  it('accepts risk only through an approval, and reopens only an accepted risk', () => {
    expect(nextState('assigned', 'request_acceptance')).toBe('escalation_pending');
    expect(nextState('escalation_pending', 'approve_acceptance')).toBe('risk_accepted');
    expect(nextState('risk_accepted', 'reopen')).toBe('open');
    expect(statesAllowing('reopen')).toEqual(['risk_accepted']);
    expect(nextState('open', 'approve_acceptance')).toBeNull();
  });

  it('resolves outright only where no approver is involved; resolved is left by nothing', () => {
    expect(statesAllowing('resolve')).toEqual(['open', 'acknowledged', 'assigned']);
    for (const waiting of ['escalation_pending', 'escalated', 'risk_accepted', 'fix_proposed'] as const) {
      expect(canTransition(waiting, 'resolve')).toBe(false);
    }
    expect(statesAllowing('propose_fix')).toEqual(['open', 'acknowledged', 'assigned', 'escalated', 'risk_accepted']);
    expect(statesAllowing('verify_fix')).toEqual(['fix_proposed']);
    expect(statesAllowing('return_fix')).toEqual(['fix_proposed']);
    expect(statesAllowing('withdraw_request')).toEqual(['escalation_pending']);
    expect(isFinal('resolved')).toBe(true);
    expect(FINDING_STATES.filter(isFinal)).toEqual(['resolved']);
    for (const action of ['acknowledge', 'assign', 'escalate', 'reopen', 'reject'] as const) {
      expect(canTransition('resolved', action)).toBe(false);
    }
  });

  it('acknowledges only an open finding; asks for approval only before a request is pending', () => {
    expect(statesAllowing('acknowledge')).toEqual(['open']);
    expect(statesAllowing('escalate')).toEqual(['open', 'acknowledged', 'assigned']);
    expect(canTransition('escalation_pending', 'escalate')).toBe(false);
    expect(canTransition('escalated', 'request_acceptance')).toBe(false);
  });

  it('rejects only a pending request and sends the finding back where it was', () => {
    expect(statesAllowing('reject')).toEqual(['escalation_pending']);
    expect(nextState('escalation_pending', 'reject')).toBeNull();
    expect(stateAfterRejection({ assignee_id: 'slack:U1', acknowledged_at: null })).toBe('assigned');
    expect(stateAfterRejection({ assignee_id: null, acknowledged_at: '2026-06-01T09:00:00Z' })).toBe('acknowledged');
    expect(stateAfterRejection({ assignee_id: null, acknowledged_at: null })).toBe('open');
  });

  it('shows only the buttons that apply', () => {
    const everyday = ['assign', 'escalate', 'request_acceptance', 'resolve', 'propose_fix'];
    expect(availableActions('open')).toEqual(['acknowledge', ...everyday]);
    expect(availableActions('acknowledged')).toEqual(everyday);
    expect(availableActions('assigned')).toEqual(everyday);
    expect(availableActions('escalation_pending')).toEqual(['withdraw_request']);
    expect(availableActions('escalated')).toEqual(['assign', 'propose_fix']);
    expect(availableActions('risk_accepted')).toEqual(['propose_fix']);
    expect(availableActions('fix_proposed')).toEqual(['verify_fix', 'return_fix']);
    expect(availableActions('resolved')).toEqual([]);
  });
});

describe('subscription tiers', () => {
  it('admits the named tier and every riskier one; no minimum admits all', () => {
    expect(['critical', 'high', 'medium', 'low'].filter((t) => tierAdmitted(t, 'high'))).toEqual(['critical', 'high']);
    expect(['critical', 'high', 'medium', 'low'].filter((t) => tierAdmitted(t, 'critical'))).toEqual(['critical']);
    expect(['critical', 'high', 'medium', 'low'].filter((t) => tierAdmitted(t, null))).toHaveLength(4);
  });
});
