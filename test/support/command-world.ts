import { registry } from '../../commands/index.ts';
import type { ChatContext, FormValues, Outcome } from '../../src/chat/command.ts';
import { dispatchAction, dispatchCommand, dispatchForm } from '../../src/chat/dispatch.ts';
import type { Block, Form, Reply } from '../../src/chat/reply.ts';
import { auditCount } from '../../src/core/audit/log.ts';
import type { Actor } from '../../src/core/common/actor.ts';
import type { CoreDeps } from '../../src/core/common/deps.ts';
import type { Role } from '../../src/core/common/vocabulary.ts';
import { rememberPerson } from '../../src/core/roles/people.ts';
import { grantRole } from '../../src/core/roles/permissions.ts';
import { createVendor, type NewVendorInput } from '../../src/core/vendors/create-update.ts';
import { createLogger } from '../../src/log.ts';
import { inTransaction } from '../../src/store/database.ts';
import { ada, dana, olive, vic } from './fixtures.ts';
import { createTestStore, type TestStore } from './store.ts';

// The real registry dispatched the way both adapters dispatch it, against a real SQLite store seeded
// through the core: Ada administers, Dana analyses, and all four people are remembered.

/** How a person is written in command text once the adapter has neutralized it. */
export const ref = (a: Actor) => `<@${a.id}|${a.name.split(' ')[0]?.toLowerCase()}>`;

const log = createLogger('silent');

export interface World {
  store: TestStore;
  run(actor: Actor, text: string, channel?: string | null): Promise<Outcome>;
  click(actor: Actor, action: string, value: string): Promise<Outcome>;
  submit(actor: Actor, form: string, values: FormValues, state?: string, channel?: string | null): Promise<Outcome>;
  vendor(input: Partial<NewVendorInput> & { name: string }): ReturnType<typeof createVendor>;
  audits(): Promise<number>;
  cleanup(): Promise<void>;
}

export async function commandWorld(now = '2026-06-01T09:00:00.000Z'): Promise<World> {
  const store = await createTestStore(now);
  const grants: [Actor, Role][] = [
    [ada, 'admin'],
    [dana, 'analyst'],
  ];
  await inTransaction(store.db, async (tx) => {
    for (const [actor, role] of grants) await grantRole(tx, store.clock, ada, actor.id, role);
    for (const person of [ada, dana, olive, vic]) await rememberPerson(tx, store.clock, person);
  });
  const ctx = (actor: Actor, channel: string | null = 'slack:CRISK') => slackContext(store.deps, actor, channel);
  return {
    store,
    run: (actor, text, channel) => dispatchCommand(registry, ctx(actor, channel), text),
    click: (actor, action, value) => dispatchAction(registry, ctx(actor), action, value),
    submit: (actor, form, values, state = '', channel) =>
      dispatchForm(registry, ctx(actor, channel), form, values, state),
    vendor: (input) =>
      inTransaction(store.deps.db, (tx) => createVendor(tx, store.deps, dana, { criticality: 'medium', ...input })),
    audits: () => auditCount(store.db),
    cleanup: () => store.cleanup(),
  };
}

/** What a handler is given for a Slack user's request, once the adapter has resolved who and where. */
export function slackContext(deps: CoreDeps, actor: Actor, channel: string | null): ChatContext {
  return { deps, log, actor, platform: 'slack', channel };
}

export function replyOf(outcome: Outcome): Reply {
  if (!('reply' in outcome)) throw new Error(`expected a reply, got ${JSON.stringify(outcome)}`);
  return outcome.reply;
}

/** Everything a person would read in a reply: the fallback text and the text of every block. */
export function shown(outcome: Outcome): string {
  const reply = replyOf(outcome);
  const blocks = (reply.blocks ?? []).map(blockText);
  return [reply.text, ...blocks].join('\n');
}

function blockText(block: Block): string {
  switch (block.type) {
    case 'header':
    case 'text':
    case 'context':
      return block.text;
    case 'fields':
      return block.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    case 'actions':
      return [...block.buttons, ...(block.more ?? [])].map((b) => `[${b.label}]`).join(' ');
    case 'divider':
      return '';
  }
}

export function buttons(outcome: Outcome) {
  if (!('reply' in outcome)) return [];
  return (outcome.reply.blocks ?? []).flatMap((b) => (b.type === 'actions' ? [...b.buttons, ...(b.more ?? [])] : []));
}

export function formOf(outcome: Outcome): Form {
  if (!('form' in outcome)) throw new Error(`expected a form, got ${JSON.stringify(outcome)}`);
  return outcome.form;
}
