// Every neutral action id in one table. Buttons name one (views), handlers register one (commands),
// and the platform adapters read one back from a click (a Slack action_id or overflow value, a Teams
// Action.Execute verb). Both sides use these constants, so a typo is a compile error, and an id a
// click carries is checked against this list before it reaches a handler.

export const ACTIONS = {
  listPage: 'list.page',
  duePage: 'due.page',
  findingsPage: 'findings.page',
  findingAck: 'finding.ack',
  findingAssign: 'finding.assign',
  findingEscalate: 'finding.escalate',
  findingResolve: 'finding.resolve',
  findingAccept: 'finding.accept',
  findingFixed: 'finding.fixed',
  findingVerify: 'finding.verify',
  findingSendBack: 'finding.sendback',
  findingWithdraw: 'finding.withdraw',
  approvalApprove: 'approval.approve',
  approvalReject: 'approval.reject',
  assessmentStart: 'assessment.start',
  assetAuthorise: 'asset.authorise',
  incidentDeclare: 'incident.declare',
  incidentDone: 'incident.done',
  incidentAssign: 'incident.assign',
  incidentMet: 'incident.met',
  incidentNotRequired: 'incident.not-required',
  incidentContained: 'incident.contained',
  incidentNotified: 'incident.notified',
  incidentClose: 'incident.close',
  incidentSign: 'incident.sign',
  intakeAck: 'intake.ack',
  intakeAssign: 'intake.assign',
  intakeShow: 'intake.show',
  activationApprove: 'activation.approve',
  activationConditions: 'activation.conditions',
  activationReject: 'activation.reject',
  offboardingItem: 'offboarding.item',
  offboardingSignOff: 'offboarding.signoff',
  /** A "Did you mean" button: dispatch runs its value as the command the presser meant (suggestions.ts). */
  suggestedCommand: 'command.suggested',
} as const;

export type ActionId = (typeof ACTIONS)[keyof typeof ACTIONS];

const KNOWN: ReadonlySet<string> = new Set<string>(Object.values(ACTIONS));

/** True when a string a platform handed back names one of our actions (anything else is refused). */
export function isActionId(value: string): value is ActionId {
  return KNOWN.has(value);
}
