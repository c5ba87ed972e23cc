import { randomUUID } from 'node:crypto';
import { ACTIONS } from '../../src/chat/actions.ts';
import type { Db } from '../../src/store/database.ts';
import { ATTACK_TEXT, hugeString, mutate, type Rng } from './fuzz.ts';
import {
  appHomeOpened,
  blockActions,
  FORM_CONTENT_TYPE,
  interaction,
  type SignOptions,
  type SlackRequest,
  type StateValues,
  sign,
  slashCommand,
  TEAM,
  viewClosed,
  viewSubmission,
} from './slack-requests.ts';

// Signed Slack payloads for the fuzz suite: slash commands, block actions (buttons, overflow menus,
// selects), view submissions and closes, and Events API deliveries, each built well-formed and then
// mutated. Senders are either people without any role, or privileged people naming ids that do not
// exist: neither may change anything.

export const SLACK_KINDS = [
  'slack:command',
  'slack:block_actions',
  'slack:view_submission',
  'slack:view_closed',
  'slack:event',
] as const;
export type SlackKind = (typeof SLACK_KINDS)[number];

/** Ids of real records in the seeded store, so unprivileged clicks aim at things that exist. */
export interface SlackTargets {
  findings: number[];
  approvals: number[];
  incidents: number[];
  vendors: number[];
  intakes: number[];
}

export async function slackTargets(db: Db): Promise<SlackTargets> {
  const ids = async (table: 'findings' | 'approval_requests' | 'incidents' | 'vendors') =>
    (await db.selectFrom(table).select('id').execute()).map((r) => Number(r.id));
  return {
    findings: await ids('findings'),
    approvals: await ids('approval_requests'),
    incidents: await ids('incidents'),
    vendors: await ids('vendors'),
    intakes: (await db.selectFrom('vendor_intakes').select('vendor_id').execute()).map((r) => r.vendor_id),
  };
}

/** Who sends: people with no role (any ids), or people with roles (only ids that do not exist). */
/** Set by the test: the harness's response_url catcher. */
export let RESPONSE_URL = 'http://127.0.0.1:9/';
export function useResponseUrl(url: string): void {
  RESPONSE_URL = url;
}

export const UNPRIVILEGED = ['UDEMOVIEWER', 'UNOBODY', 'U0STRANGER'];
export const PRIVILEGED = ['UDEMOANALYST', 'UDEMOADMIN', 'UDEMOAPPROVER', 'UDEMOOWNER'];

const FORGED_IDS = ['999999', '-1', '0', '1e309', '3.5', '1 OR 1=1', '0x10', '00000000000000000001', '', ' ', 'NaN'];
const UNKNOWN_ACTIONS = ['finding.nuke', 'FINDING.ACK', 'finding.ack ', 'toString', '__proto__', '_more', '', '#2'];
const COMMAND_WORDS = [
  'posture',
  'list',
  'due',
  'findings',
  'approvals',
  'reassess',
  'add',
  'owner',
  'evidence',
  'signal',
  'asset',
  'subscribe',
  'unsubscribe',
  'role',
  'incident',
  'incidents',
  'review',
  'activate',
  'offboard',
  'help',
  'roles',
  'role grant',
  'role revoke',
  'role link',
  'incident declare',
  'asset add',
  'evidence add',
  'signal add',
  'approve',
];
/** Forms that write with no record to name (a vendor request, one's own PIN): left to their own tests. */
const FORMS = [
  'finding.assign',
  'finding.escalate',
  'finding.accept',
  'finding.resolve',
  'approval.approve',
  'approval.reject',
  'assessment.answer',
  'finding.fixed',
  'finding.sendback',
  'finding.withdraw',
  'incident.assign',
  'incident.met',
  'incident.not-required',
  'incident.close',
  'intake.assign',
  'activation.conditions',
  'activation.reject',
  'offboarding.certificate',
  'unknown.form',
];
const FIELD_IDS = [
  'reason',
  'note',
  'assignee',
  'due',
  'action',
  'pin',
  'owner',
  'summary',
  'what',
  'meaning',
  'answer',
];
const BAD_METADATA = [
  'null',
  '[]',
  '"s"',
  '5',
  '{"s":5}',
  '{"o":"x"}',
  '{"o":{"reason":5}}',
  '{"n":3,"k":"nope"}',
  '{"p":-1,"n":2,"k":"x"}',
  '{',
  '{"s":"1","o":{"reason":["a"]}}',
];

function valueFor(rng: Rng, t: SlackTargets, privileged: boolean): string {
  if (privileged || rng.chance(0.2)) return rng.chance(0.85) ? rng.pick(FORGED_IDS) : rng.pick(ATTACK_TEXT);
  const pool = [
    ...t.findings.map(String),
    ...t.approvals.map(String),
    ...t.incidents.map((i) => `${i}:${1 + rng.int(3)}`),
    ...t.vendors.map((v) => `vendor:${v}`),
    ...t.intakes.map(String),
    `vendor=${rng.pick(t.vendors)}`,
  ];
  return rng.pick(pool);
}

function actionId(rng: Rng): string {
  if (rng.chance(0.15)) return rng.pick(UNKNOWN_ACTIONS);
  const id: string = rng.pick(Object.values(ACTIONS));
  return rng.chance(0.2) ? `${id}#${rng.int(30)}` : id;
}

function sender(rng: Rng): { user: string; privileged: boolean } {
  const privileged = rng.chance(0.4);
  return { user: rng.pick(privileged ? PRIVILEGED : UNPRIVILEGED), privileged };
}

function commandText(rng: Rng, t: SlackTargets): string {
  const words = [rng.pick(COMMAND_WORDS)];
  for (let i = rng.int(4); i > 0; i--) {
    words.push(
      rng.pick([
        rng.pick(ATTACK_TEXT),
        String(rng.pick(t.findings)),
        '<@UDEMOVIEWER|alex>',
        '<@UDEMOVIEWER>',
        'admin',
        'approver',
        '"Meridian Clinical Research"',
        'high',
        '--force',
      ]),
    );
  }
  return words.join(' ');
}

function slash(rng: Rng, t: SlackTargets, signOptions: SignOptions): { request: SlackRequest; payload: unknown } {
  // Commands come from people without a role: every one of them must be refused or read-only.
  const fields: Record<string, unknown> = {
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: rng.pick(['C0FINDINGS', 'D0VIEWER', 'C1']),
    channel_name: 'risk',
    user_id: rng.pick(UNPRIVILEGED),
    user_name: 'alex',
    command: '/vendor',
    text: commandText(rng, t),
    api_app_id: 'A0TEST',
    response_url: RESPONSE_URL,
    trigger_id: `${Date.now()}.${rng.int(1e9)}.${randomUUID().slice(0, 8)}`,
  };
  const mutated = rng.chance(0.7) ? mutate(rng, fields).value : fields;
  const body = new URLSearchParams(
    Object.entries(mutated).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
  ).toString();
  if (rng.chance(0.1)) {
    // A well-formed command through the shared builder, text only mutated.
    const request = slashCommand(
      { text: hugeString(rng), userId: rng.pick(UNPRIVILEGED), channelId: 'C1', responseUrl: RESPONSE_URL },
      signOptions,
    );
    return { request, payload: { text: 'huge' } };
  }
  return { request: sign(body, FORM_CONTENT_TYPE, signOptions), payload: mutated };
}

function elementAction(rng: Rng, t: SlackTargets, privileged: boolean): Record<string, unknown> {
  const value = valueFor(rng, t, privileged);
  const id = actionId(rng);
  switch (rng.int(6)) {
    case 0:
      return { type: 'overflow', action_id: '_more', selected_option: { value: `${actionId(rng)}|${value}` } };
    case 1:
      return { type: 'static_select', action_id: id, selected_option: { value } };
    case 2:
      return { type: 'users_select', action_id: id, selected_user: rng.pick([...UNPRIVILEGED, ...PRIVILEGED]) };
    case 3:
      return { type: 'multi_static_select', action_id: id, selected_options: [{ value }, { value: 'x' }] };
    case 4:
      return { type: 'datepicker', action_id: id, selected_date: rng.pick(['2026-13-45', '2026-06-01', 'x']) };
    default:
      return { type: 'button', action_id: id, value };
  }
}

function metadata(rng: Rng, t: SlackTargets, privileged: boolean): string {
  if (rng.chance(0.3)) return rng.pick(BAD_METADATA);
  return JSON.stringify({ s: valueFor(rng, t, privileged), ...(rng.chance(0.5) ? { c: 'slack:C0FINDINGS' } : {}) });
}

function stateValues(rng: Rng, t: SlackTargets, privileged: boolean): StateValues {
  const values: StateValues = {};
  for (let i = 1 + rng.int(4); i > 0; i--) {
    const field = rng.pick(FIELD_IDS);
    const input = rng.pick([
      { type: 'plain_text_input', value: rng.pick(ATTACK_TEXT) },
      { type: 'plain_text_input', value: valueFor(rng, t, privileged) },
      { type: 'users_select', selected_user: rng.pick([...UNPRIVILEGED, ...PRIVILEGED]) },
      { type: 'static_select', selected_option: { value: rng.pick(['0', '1', 'accept_risk', 'x']) } },
      { type: 'multi_static_select', selected_options: [{ value: '0' }] },
      { type: 'datepicker', selected_date: rng.pick(['2027-01-01', 'x', null]) },
      { type: 'radio_buttons', selected_option: null },
    ]);
    values[field] = { [field]: input };
  }
  return values;
}

function view(rng: Rng, t: SlackTargets, privileged: boolean) {
  return {
    id: `V${rng.int(1e6)}`,
    hash: `${rng.int(1e6)}.x`,
    callbackId: rng.pick(FORMS),
    privateMetadata: metadata(rng, t, privileged),
    values: stateValues(rng, t, privileged),
  };
}

function event(rng: Rng): Record<string, unknown> {
  const user = rng.pick([...UNPRIVILEGED, ...PRIVILEGED]);
  const inner = rng.pick([
    { type: 'app_home_opened', user, channel: 'D0HOME', tab: rng.pick(['home', 'messages', 'about']) },
    { type: 'app_mention', user, channel: 'C1', text: `<@UBOT> ${rng.pick(ATTACK_TEXT)}`, ts: '1.2' },
    { type: 'message', user, channel: 'D1', text: rng.pick(ATTACK_TEXT), ts: '1.3', channel_type: 'im' },
    { type: 'member_joined_channel', user, channel: 'C1' },
    { type: 'app_uninstalled' },
    { type: 'tokens_revoked', tokens: { bot: ['UBOT'] } },
    { type: 'unknown_event_type', user },
  ]);
  return {
    token: 'legacy-verification-token',
    team_id: TEAM.id,
    api_app_id: 'A0TEST',
    event: { ...inner, event_ts: '1767000000.000200' },
    type: 'event_callback',
    event_id: `Ev${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`,
    event_time: 1767000000,
    authorizations: [{ team_id: TEAM.id, user_id: 'UBOT', is_bot: true, is_enterprise_install: false }],
  };
}

/** One signed, mutated Slack request of the given kind. */
export function slackPayload(
  rng: Rng,
  kind: SlackKind,
  t: SlackTargets,
  signOptions: SignOptions,
): { request: SlackRequest; payload: unknown } {
  if (kind === 'slack:command') return slash(rng, t, signOptions);
  if (kind === 'slack:event') {
    const built = event(rng);
    const payload = rng.chance(0.8) ? mutate(rng, built).value : built;
    if (rng.chance(0.05)) return { request: appHomeOpened('UDEMOVIEWER', signOptions), payload: 'home' };
    return { request: sign(JSON.stringify(payload), 'application/json', signOptions), payload };
  }
  const { user, privileged } = sender(rng);
  let built: Record<string, unknown>;
  if (kind === 'slack:block_actions') {
    const inView = rng.chance(0.3);
    built = blockActions({
      userId: user,
      channelId: 'C0FINDINGS',
      actionId: 'x',
      action: elementAction(rng, t, privileged),
      responseUrl: RESPONSE_URL,
      ...(inView
        ? { view: { id: 'V1', type: 'modal', private_metadata: metadata(rng, t, privileged), state: { values: {} } } }
        : {}),
    }) as Record<string, unknown>;
    // blockActions() sets the element's action_id from `actionId`; keep the one chosen above.
    const actions = built.actions as Record<string, unknown>[];
    const chosen = elementAction(rng, t, privileged);
    actions[0] = { block_id: 'b1', action_ts: `${Date.now() / 1000}`, ...chosen };
  } else if (kind === 'slack:view_submission') {
    built = viewSubmission(user, view(rng, t, privileged)) as Record<string, unknown>;
  } else {
    built = viewClosed(user, view(rng, t, privileged)) as Record<string, unknown>;
  }
  // Privileged senders keep who they are (they name forged ids); anyone else may be mutated anywhere.
  const payload = rng.chance(0.75)
    ? mutate(
        rng,
        built,
        privileged
          ? ['actions', 'view', 'container', 'state', 'channel', 'message', 'trigger_id', 'response_url']
          : undefined,
      ).value
    : built;
  if (rng.chance(0.04)) {
    const raw = rng.pick([
      '{',
      'null',
      '[]',
      '5',
      '"x"',
      '{"type":5}',
      '{"type":"shortcut"}',
      '{"type":"block_suggestion"}',
    ]);
    return { request: sign(`payload=${encodeURIComponent(raw)}`, FORM_CONTENT_TYPE, signOptions), payload: raw };
  }
  return { request: interaction(payload as object, signOptions), payload };
}
