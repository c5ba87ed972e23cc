import { ACTIONS } from '../src/chat/actions.ts';
import { type ChatContext, type Command, type CommandModule, openForm, reply } from '../src/chat/command.ts';
import { type Block, ephemeral } from '../src/chat/reply.ts';
import {
  ASSESSMENT_FORM,
  answersFrom,
  questionnaireForm,
  submittedReply,
  unansweredErrors,
} from '../src/chat/views/questionnaire-form.ts';
import { startButtonBlock } from '../src/chat/views/reminders.ts';
import { person } from '../src/chat/views/wording.ts';
import { requireOpen } from '../src/core/assessments/answers.ts';
import { type AssessmentDetail, getAssessment } from '../src/core/assessments/queries.ts';
import { requestReassessment, saveDraft } from '../src/core/assessments/request.ts';
import { submit } from '../src/core/assessments/submit.ts';
import { todayOf } from '../src/core/common/dates.ts';
import { UserError } from '../src/core/common/errors.ts';
import { getPosture } from '../src/core/posture/posture.ts';
import { displayName } from '../src/core/roles/people.ts';
import { requirePermission } from '../src/core/roles/permissions.ts';
import { findVendorByName } from '../src/core/vendors/lookup.ts';
import { inTransaction } from '../src/store/database.ts';

// Reassessments in chat: anyone allowed asks for one now, the owner answers it from the button in
// their DM, a closed form keeps a draft, and submitting scores it, opens findings for failed controls
// (their cards are posted by the outbox) and moves the next review date.

const idFrom = (value: string, what: string): number => {
  const id = Number(value);
  if (!Number.isInteger(id) || id <= 0) throw new UserError('bad_arguments', `That ${what} is out of date.`);
  return id;
};

const progressOf = (d: AssessmentDetail) => ({
  id: d.assessment.id,
  answered: d.controls.length - d.unanswered.length,
  total: d.controls.length,
});

const reassessCommand: Command<string> = {
  name: 'reassess',
  summary: 'Ask a vendor’s owner to reassess it now',
  permission: 'assessment.request',
  usage: 'reassess <vendor>',
  examples: ['reassess "Acme Health Cloud"'],
  parse(words) {
    const name = words.join(' ').trim();
    if (!name) throw new UserError('bad_arguments', 'Which vendor? Give its name, in quotes if it has spaces.');
    return name;
  },
  async run(ctx, name) {
    const vendor = await findVendorByName(ctx.deps.db, name);
    const { assessment, created } = await inTransaction(ctx.deps.db, (tx) =>
      requestReassessment(tx, ctx.deps, ctx.actor, vendor.id),
    );
    const detail = await getAssessment(ctx.deps.db, assessment.id, ctx.deps);
    const owner = vendor.owner_id ? person(vendor.owner_id, await displayName(ctx.deps.db, vendor.owner_id)) : null;
    const progress = progressOf(detail);
    const text = created
      ? owner
        ? `Asked ${owner} to reassess **${vendor.name}** by ${assessment.due_on}. They have a direct message with the questionnaire.`
        : `**${vendor.name}** has no owner, so the questionnaire prompt went to its findings channel. Due ${assessment.due_on}.`
      : `A reassessment of **${vendor.name}** is already open: due ${assessment.due_on}, ${progress.answered} of ${progress.total} controls answered.`;
    const blocks: Block[] = [{ type: 'text', text }];
    // The owner (or an analyst answering for an owner-less vendor) can start straight away.
    if (vendor.owner_id === ctx.actor.id || !vendor.owner_id) blocks.push(startButtonBlock(vendor.id, progress));
    return reply(ephemeral(text, blocks));
  },
};

/** The assessment a Start button names: an open one by id, or the vendor's (requested now if none is open). */
async function assessmentFor(ctx: ChatContext, value: string): Promise<number> {
  if (!value.startsWith('vendor:')) return idFrom(value, 'button');
  const { assessment } = await inTransaction(ctx.deps.db, (tx) =>
    requestReassessment(tx, ctx.deps, ctx.actor, idFrom(value.slice('vendor:'.length), 'button')),
  );
  return assessment.id;
}

export const reassess: CommandModule = {
  command: reassessCommand,
  actions: [
    {
      action: ACTIONS.assessmentStart,
      async run(ctx, value) {
        const detail = await getAssessment(ctx.deps.db, await assessmentFor(ctx, value), ctx.deps);
        await requirePermission(ctx.deps.db, ctx.actor, 'assessment.answer', detail.vendor.owner_id);
        await requireOpen(ctx.deps.db, detail.assessment);
        return openForm(questionnaireForm(detail, todayOf(ctx.deps)));
      },
    },
  ],
  forms: [
    {
      form: ASSESSMENT_FORM,
      async submit(ctx, values, state) {
        const detail = await getAssessment(ctx.deps.db, idFrom(state, 'form'), ctx.deps);
        const given = answersFrom(values, detail.controls);
        const missing = unansweredErrors(detail.controls, detail.answers, given);
        if (Object.keys(missing).length > 0) return { fieldErrors: missing };
        const result = await inTransaction(ctx.deps.db, (tx) =>
          submit(tx, ctx.deps, ctx.actor, detail.assessment.id, given),
        );
        const posture = await getPosture(ctx.deps.db, ctx.deps, detail.vendor.id, todayOf(ctx.deps));
        return reply(
          submittedReply({
            vendorName: detail.vendor.name,
            questionnaireScore: result.score,
            posture: { score: posture.score, grade: posture.grade },
            nextReviewOn: posture.nextReviewOn,
            // One finding per failed control, in the same order (new, or the one still open from before).
            failed: result.failedControls.map((f, i) => ({
              title: f.control.title,
              severity: result.findings[i]!.severity,
              findingId: result.findings[i]!.id,
            })),
          }),
        );
      },
      async close(ctx, values, state) {
        const id = idFrom(state, 'form');
        const detail = await getAssessment(ctx.deps.db, id, ctx.deps);
        // Only what changed since the draft: reopening and closing untouched must not add an audit entry.
        const changed = Object.entries(answersFrom(values, detail.controls)).filter(([control, given]) => {
          const saved = detail.answers[control];
          return saved?.answer !== given.answer || (saved.comment ?? null) !== (given.comment ?? null);
        });
        if (changed.length === 0 || detail.assessment.status === 'submitted') return;
        await inTransaction(ctx.deps.db, (tx) => saveDraft(tx, ctx.deps, ctx.actor, id, Object.fromEntries(changed)));
      },
    },
  ],
};

export default reassess;
