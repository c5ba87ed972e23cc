import { ACTIONS } from '../actions.ts';
import type { Block, Button } from '../reply.ts';

// A critical finding that is still open offers "Declare incident" on its card: one click, a short
// form, and the playbook and clocks are running (no approval in between).

export function withDeclareIncident(
  actions: Block | null,
  finding: { id: number; severity: string; state: string },
): Block | null {
  if (finding.severity !== 'critical' || finding.state === 'resolved') return actions;
  const button: Button = {
    action: ACTIONS.incidentDeclare,
    label: 'Declare incident',
    value: String(finding.id),
    style: 'danger',
  };
  if (actions?.type !== 'actions') return { type: 'actions', buttons: [button] };
  return { ...actions, buttons: [...actions.buttons, button] };
}
