import type { FindingDetail } from '../../core/findings/queries.ts';
import { inert } from '../inert.ts';
import type { Form } from '../reply.ts';
import { findingFormState } from './finding-forms.ts';

// The forms of verified closure and withdrawal: each asks for the words the next person reads.

const subject = (f: FindingDetail) => `Finding #${f.id} on **${inert(f.vendor_name)}**: ${inert(f.title)}`;

export function markFixedForm(f: FindingDetail): Form {
  return {
    id: 'finding.fixed',
    title: 'Mark fixed',
    submitLabel: 'Mark fixed',
    state: findingFormState(f),
    intro: `${subject(f)}\nAn analyst other than you verifies the fix before the finding is resolved.`,
    fields: [{ id: 'note', label: 'What was done?', kind: 'textarea', placeholder: 'What was fixed, and the proof' }],
  };
}

export function sendBackForm(f: FindingDetail): Form {
  return {
    id: 'finding.sendback',
    title: 'Send the fix back',
    submitLabel: 'Send back',
    state: findingFormState(f),
    intro: `${subject(f)}\nMarked fixed: ${inert(f.fix_note)}`,
    fields: [{ id: 'reason', label: 'Why is it not fixed?', kind: 'textarea', placeholder: 'The owner reads this' }],
  };
}

export function withdrawForm(f: FindingDetail): Form {
  return {
    id: 'finding.withdraw',
    title: 'Withdraw request',
    submitLabel: 'Withdraw',
    state: findingFormState(f),
    intro: `${subject(f)}\nThe approvers see that you withdrew it, and why. Nothing is signed.`,
    fields: [{ id: 'reason', label: 'Why withdraw it?', kind: 'textarea', placeholder: 'The approvers read this' }],
  };
}
