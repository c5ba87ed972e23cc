import { ACTIONS } from '../../src/chat/actions.ts';
import { FORM_DRAFT_VERB, FORM_SUBMIT_VERB } from '../../src/teams/forms.ts';
import { ATTACK_TEXT, hugeString, mutate, type Rng } from './fuzz.ts';
import type { SlackTargets } from './fuzz-slack.ts';
import {
  type Account,
  type Activity,
  actionExecute,
  BOT,
  channelMessage,
  mentionEntity,
  personalMessage,
  type Where,
} from './teams-requests.ts';

// Teams activities for the fuzz suite: typed commands (1:1 and channel, with mentions), Action.Execute
// clicks and form submits, task module and message extension invokes, and legacy Action.Submit
// messages, built well-formed and then mutated. Senders hold no role, or hold one and name ids that
// do not exist.

export const TEAMS_KINDS = ['teams:message', 'teams:action', 'teams:invoke', 'teams:submit-message'] as const;
export type TeamsKind = (typeof TEAMS_KINDS)[number];

export const TEAMS_STRANGER: Account = {
  id: '29:1stranger',
  name: 'Stranger',
  aadObjectId: 'f0f0f0f0-0000-4000-8000-0000000000f0',
};
export const TEAMS_ANALYST: Account = {
  id: '29:1analyst',
  name: 'Ana Lyst',
  aadObjectId: 'a0a0a0a0-0000-4000-8000-0000000000a0',
};

const FORGED = ['999999', '-1', '0', '1e309', 'NaN', '', '1 OR 1=1'];
const VERBS = [
  ...Object.values(ACTIONS),
  FORM_SUBMIT_VERB,
  FORM_DRAFT_VERB,
  'finding.nuke',
  '',
  'toString',
  '__proto__',
];
const FORMS = [
  'finding.assign',
  'finding.resolve',
  'approval.approve',
  'approval.reject',
  'incident.close',
  'unknown.form',
  'assessment.answer',
];
const WORDS = [
  'help',
  'posture',
  'findings',
  'role grant',
  'role revoke',
  'approvals',
  'incident declare',
  'subscribe',
  'list',
  'due',
  'vendor posture',
];
const INVOKES = [
  'task/fetch',
  'task/submit',
  'composeExtension/query',
  'composeExtension/submitAction',
  'signin/verifyState',
  'config/fetch',
  'unknown/thing',
  'adaptiveCard/action',
];

function value(rng: Rng, t: SlackTargets, privileged: boolean): string {
  if (privileged || rng.chance(0.2)) return rng.chance(0.8) ? rng.pick(FORGED) : rng.pick(ATTACK_TEXT);
  return rng.pick([
    ...t.findings.map(String),
    ...t.approvals.map(String),
    ...t.incidents.map((i) => `${i}:1`),
    `vendor:${rng.pick(t.vendors)}`,
  ]);
}

function formData(rng: Rng, t: SlackTargets, privileged: boolean): Record<string, unknown> {
  const data: Record<string, unknown> = {
    form: rng.pick(FORMS),
    state: value(rng, t, privileged),
    own: rng.chance(0.5),
  };
  for (let i = rng.int(4); i >= 0; i--) {
    const kind = rng.pick(['text', 'textarea', 'select', 'multiselect', 'user', 'date', 'radio', 'secret', 'bogus']);
    data[`field:${kind}:${rng.pick(['reason', 'assignee', 'note', 'pin', 'action', 'due'])}`] = rng.chance(0.5)
      ? rng.pick(ATTACK_TEXT)
      : value(rng, t, privileged);
  }
  return data;
}

export function teamsActivity(rng: Rng, kind: TeamsKind, t: SlackTargets, serviceUrl: string): Activity {
  const privileged = rng.chance(0.4);
  const where: Where = { serviceUrl, from: privileged ? TEAMS_ANALYST : TEAMS_STRANGER };
  const conversation = rng.chance(0.5) ? 'personal' : 'channel';
  let built: Activity;
  if (kind === 'teams:message') {
    const text = `${rng.pick(WORDS)} ${rng.chance(0.1) ? hugeString(rng) : rng.pick(ATTACK_TEXT)} ${value(rng, t, privileged)}`;
    const mentions = rng.chance(0.3) ? [TEAMS_STRANGER, { id: '19:fake@thread.tacv2', name: 'risk' }] : [];
    built =
      conversation === 'personal' ? personalMessage(where, text, mentions) : channelMessage(where, text, mentions);
    if (rng.chance(0.1)) (built.entities as unknown[]).push({ type: 'mention', text: 5, mentioned: null });
  } else if (kind === 'teams:action') {
    const verb = rng.pick(VERBS);
    const data = verb.startsWith('form/') ? formData(rng, t, privileged) : { value: value(rng, t, privileged) };
    built = actionExecute(where, { verb, data }, `card-${rng.int(100)}`, conversation);
  } else if (kind === 'teams:invoke') {
    built = { ...actionExecute(where, { verb: 'x', data: {} }, 'card-1', conversation), name: rng.pick(INVOKES) };
    built.value = rng.pick([{ data: formData(rng, t, privileged) }, { commandId: 'x', parameters: [] }, null, 'x', {}]);
  } else {
    // A legacy Action.Submit click: a message with no text whose value carries the card's data.
    built = {
      ...personalMessage(where, ''),
      text: undefined,
      value: { verb: rng.pick(VERBS), ...formData(rng, t, privileged) },
    } as Activity;
  }
  if (!rng.chance(0.75)) return built;
  // Privileged senders keep who and where they are; the rest may be mutated anywhere.
  return mutate(rng, built, privileged ? ['value', 'text', 'entities', 'name', 'replyToId'] : undefined).value;
}

export { BOT, mentionEntity };
