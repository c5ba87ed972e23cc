import { ACTIONS } from '../actions.ts';
import { inert, inertTitle } from '../inert.ts';
import type { Block, Button, Reply } from '../reply.ts';
import { inChannel } from '../reply.ts';
import { quotedName } from '../suggestions.ts';
import { expiryWording } from './reminders.ts';
import { dueWording, LATE_NOTE } from './wording.ts';

// A person's "Coming up" digest of a day: every heads-up (a review, a document or a finding's SLA
// coming up) in one direct message, grouped by vendor, soonest first, each with its date and a button
// to the vendor's posture (whose card starts the reassessment and lists the findings: read when pressed,
// so a button on an old digest never starts work that was already done). What needs action now is
// never here: it comes as the vendor's own reminder.

export type ComingUpItem =
  | { kind: 'review'; on: string }
  | { kind: 'evidence'; on: string; label: string }
  | { kind: 'finding'; on: string; id: number; title: string };

export interface ComingUpVendor {
  vendor: { id: number; name: string; tier: string };
  /** What is still coming up. */
  items: ComingUpItem[];
  /** What was done since the digest was sent ("GDPR DPA renewed."). */
  done: string[];
}

export interface OwnerDigestInput {
  today: string;
  vendors: ComingUpVendor[];
  late: boolean;
}

/** Slack allows 50 blocks a message; each vendor takes two. */
const SHOWN_VENDORS = 20;

function itemLine(today: string, item: ComingUpItem): string {
  if (item.kind === 'review') return `Reassessment ${dueWording(today, item.on)} (${item.on})`;
  if (item.kind === 'evidence') return `${item.label} ${expiryWording(today, item.on)} (${item.on})`;
  return `Finding #${item.id} ${dueWording(today, item.on)} under its SLA (${item.on}): ${inertTitle(item.title)}`;
}

/** A vendor's first date, its items sorted; one with nothing coming up sorts last. */
const soonest = (v: ComingUpVendor) => v.items[0]?.on ?? '9999-12-31';

/** Vendors with something still coming up, soonest first (then by name); each vendor's items by date. */
export function orderComingUp(vendors: readonly ComingUpVendor[]): ComingUpVendor[] {
  return vendors
    .map((v) => ({ ...v, items: [...v.items].sort((a, b) => a.on.localeCompare(b.on)) }))
    .sort((a, b) => soonest(a).localeCompare(soonest(b)) || a.vendor.name.localeCompare(b.vendor.name));
}

function postureButton(v: ComingUpVendor): Block {
  const posture: Button = {
    action: ACTIONS.suggestedCommand,
    label: `Open posture: ${v.vendor.name.length > 40 ? `${v.vendor.name.slice(0, 39)}…` : v.vendor.name}`,
    value: `posture ${quotedName(v.vendor.name)}`,
  };
  return { type: 'actions', buttons: [posture] };
}

/** Whether the digest still lists anything coming up. */
export const listsSomething = (d: Pick<OwnerDigestInput, 'vendors'>) => d.vendors.some((v) => v.items.length > 0);

export function ownerDigest(d: OwnerDigestInput): Reply {
  const ordered = orderComingUp(d.vendors.filter((v) => v.items.length + v.done.length > 0));
  const open = ordered.filter((v) => v.items.length > 0);
  const count = open.reduce((n, v) => n + v.items.length, 0);
  const header = open.length > 0 ? 'Coming up' : 'Coming up: all done';
  const intro =
    open.length > 0
      ? 'Heads-ups for the days ahead, soonest first. Nothing here is due today: when something falls due it comes to you as its own reminder.'
      : ordered.length > 0
        ? 'Nothing on this list is left to do. Thank you.'
        : 'What was listed here now needs action: it is in the vendor’s own reminder.';
  const blocks: Block[] = [
    { type: 'header', text: header },
    { type: 'context', text: intro },
  ];
  const summary: string[] = [];
  for (const v of ordered.slice(0, SHOWN_VENDORS)) {
    const lines = [...v.items.map((i) => itemLine(d.today, i)), ...v.done.map((t) => `✓ ${t}`)];
    const bulleted = lines.map((l) => (l.startsWith('✓') ? l : `• ${l}`));
    blocks.push({ type: 'text', text: `**${inert(v.vendor.name)}** (${v.vendor.tier} tier)\n${bulleted.join('\n')}` });
    if (v.items.length > 0) blocks.push(postureButton(v));
    summary.push(`${inert(v.vendor.name)}: ${lines.join('; ')}`);
  }
  const hidden = ordered.length - SHOWN_VENDORS;
  if (hidden > 0) {
    blocks.push({ type: 'context', text: `And ${hidden} more vendors: see your Home tab or \`my work\`.` });
  }
  const late = d.late && open.length > 0;
  if (late) blocks.push({ type: 'context', text: LATE_NOTE });
  const lead =
    open.length > 0
      ? `Coming up: ${count} ${count === 1 ? 'item' : 'items'} for ${open.length} ${open.length === 1 ? 'vendor' : 'vendors'}.`
      : 'Coming up: all done.';
  return inChannel([lead, ...summary, ...(late ? [LATE_NOTE] : [])].join('\n'), blocks);
}
