import { manifestation } from '../../core/audit/signatures.ts';
import { durationText } from '../../core/incidents/clock-time.ts';
import { clockName } from '../../core/incidents/clocks.ts';
import type { IncidentDetail } from '../../core/incidents/queries.ts';
import { STATE_LABELS } from '../../core/incidents/work.ts';
import type { IncidentClockRow } from '../../store/tables.ts';
import { ACTIONS } from '../actions.ts';
import { type Block, type Button, inChannel, type Reply } from '../reply.ts';
import { capitalize, formatUtc, person } from './wording.ts';

// One card per incident, edited in place: state, lead, every clock with its time left, decisions
// waiting for a signature, and the next three tasks with Done/Assign. The timeline is its thread.

export function clockLine(c: IncidentClockRow, now: Date): string {
  const name = clockName(c);
  const due = formatUtc(c.deadline);
  if (c.state === 'running') {
    const left = Date.parse(c.deadline) - now.getTime();
    return left > 0 ? `⏱ ${name}: ${durationText(left)} left (by ${due})` : `⏱ ${name}: deadline ${due} passed`;
  }
  if (c.state === 'met')
    return `✅ ${name}: met${c.settled_at ? ` ${formatUtc(c.settled_at)}` : ''}${c.note ? `: ${c.note}` : ''}`;
  if (c.state === 'not_required') return `➖ ${name}: not required: ${c.note ?? ''}`;
  return `❗ ${name}: MISSED (deadline ${due})${c.note && !c.note.startsWith('Deadline') ? `: ${c.note}` : ''}`;
}

export function incidentCard(d: IncidentDetail, now: Date): Reply {
  const i = d.incident;
  const closed = i.state === 'closed';
  const title = `Incident #${i.id}: ${d.vendor.name} · ${d.playbook?.title ?? i.scenario}`;
  const blocks: Block[] = [
    { type: 'header', text: title },
    { type: 'text', text: i.summary },
    {
      type: 'fields',
      fields: [
        { label: 'State', value: STATE_LABELS[i.state] ?? i.state },
        { label: 'Lead', value: person(i.lead_id, d.names[i.lead_id] ?? null) },
        { label: 'Severity', value: capitalize(i.severity) },
        { label: 'Aware since', value: formatUtc(i.aware_at) },
      ],
    },
  ];
  const clocks = d.clocks.map((c) => clockLine(c, now));
  blocks.push({
    type: 'text',
    text: clocks.length
      ? `**Clocks**\n${clocks.join('\n')}`
      : '**Clocks**\nNo regulatory clock applies to this vendor’s data.',
  });

  const buttons: Button[] = [];
  const pending = d.decisions.filter((x) => x.state === 'pending');
  const signed = d.decisions.filter((x) => x.signature);
  const decisionLines = [
    ...pending.map((x) => {
      const what =
        x.kind === 'closure'
          ? 'Close with the post-incident review'
          : `Not required: ${clockName(d.clocks.find((c) => c.id === x.clock_id) ?? { regulation: '?', recipient: '?' })}`;
      buttons.push({
        action: ACTIONS.incidentSign,
        label: `Sign D${x.id}`,
        value: String(x.id),
        style: 'primary',
        confirm: {
          title: `Sign decision D${x.id}`,
          text: `${what}. Reason: ${x.reason}\nYou are signing electronically: your name, the UTC time and the meaning 'approval' are recorded.`,
          confirm: 'Sign',
          deny: 'Cancel',
        },
      });
      return `⏳ D${x.id} waiting for an approver: ${what}, asked by ${d.names[x.requested_by] ?? x.requested_by}. Reason: ${x.reason}`;
    }),
    ...signed.map(
      (x) =>
        `✍️ D${x.id} ${x.kind === 'closure' ? 'closure' : 'not required'}: ${x.signature ? manifestation(x.signature) : ''}`,
    ),
  ];
  if (decisionLines.length) blocks.push({ type: 'text', text: `**Decisions**\n${decisionLines.join('\n')}` });

  const open = d.tasks.filter((t) => !t.done_at);
  const next = open.slice(0, 3);
  const done = d.tasks.length - open.length;
  if (!closed) {
    const lines = next.map((t) => {
      const who = t.assignee_id ? person(t.assignee_id, d.names[t.assignee_id] ?? null) : t.role;
      return `T${t.number} (${t.phase}) ${t.title} · ${who}`;
    });
    blocks.push({
      type: 'text',
      text: `**Next tasks** (${done} of ${d.tasks.length} done)\n${lines.length ? lines.join('\n') : 'Every playbook task is done.'}`,
    });
    for (const t of next) {
      buttons.push({ action: ACTIONS.incidentDone, label: `Done T${t.number}`, value: `${i.id}:${t.number}` });
      buttons.push({ action: ACTIONS.incidentAssign, label: `Assign T${t.number}`, value: `${i.id}:${t.number}` });
    }
  } else if (i.review) {
    const review = JSON.parse(i.review) as { lessons?: string; applied?: { summary?: string } };
    blocks.push({
      type: 'text',
      text: `**Post-incident review**\n${review.lessons ?? ''}\nApplied: ${review.applied?.summary ?? ''}`,
    });
  }
  const value = String(i.id);
  const more: Button[] = [];
  if (!closed) {
    if (d.clocks.some((c) => c.state === 'running')) {
      more.push({ action: ACTIONS.incidentMet, label: 'Clock met…', value });
      more.push({ action: ACTIONS.incidentNotRequired, label: 'Not required…', value });
    }
    if (i.state === 'open') more.push({ action: ACTIONS.incidentContained, label: 'Mark contained', value });
    if (i.state === 'contained') more.push({ action: ACTIONS.incidentNotified, label: 'Notifications done', value });
    if (i.state === 'notifications_done')
      more.push({ action: ACTIONS.incidentClose, label: 'Close with review…', value });
  }
  if (more.length === 1) buttons.push(...more.splice(0));
  if (buttons.length || more.length) blocks.push({ type: 'actions', buttons, ...(more.length ? { more } : {}) });
  blocks.push({ type: 'context', text: `Declared ${formatUtc(i.declared_at)} · timeline in the thread` });
  const text = [
    `[Incident #${i.id}] ${d.vendor.name}: ${i.summary} (${STATE_LABELS[i.state] ?? i.state})`,
    ...clocks,
    ...decisionLines,
  ];
  return inChannel(text.join('\n'), blocks);
}
