import { post } from './api.js';
import { h } from './dom.js';
import { confirmDialog } from './menus.js';
import { report, showNotice } from './notice.js';

// The top bar: the playground clock with its controls (move it on a day, a week or a month; run the
// scheduled triggers now), the persona you act as, and Reset.

const $ = (id) => document.getElementById(id);
const clockFormat = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'UTC',
});

export function renderTopbar(snap) {
  const persona = $('persona');
  if (persona.options.length !== snap.personas.length) {
    persona.replaceChildren(
      ...snap.personas.map((p) =>
        h('option', { value: p.id }, `${p.name} — ${p.title} · demo signing PIN ${p.signingPin}`),
      ),
    );
  }
  persona.value = snap.me;
  $('clock').textContent = `${clockFormat.format(new Date(snap.now))} UTC`;
  const days = Math.round(snap.aheadMs / 86_400_000);
  $('ahead').textContent = snap.aheadMs > 0 ? `${days} ${days === 1 ? 'day' : 'days'} ahead of real time` : 'real time';
}

/** `onPersona(id)` runs when another persona is chosen. */
export function wireTopbar(onPersona) {
  $('persona').addEventListener('change', (event) => onPersona(event.target.value));
  for (const button of document.querySelectorAll('[data-advance]')) {
    button.addEventListener('click', async () => {
      const days = Number(button.dataset.advance);
      await report(await post('clock', { days }), `The clock moved ${button.textContent.trim()} forward.`);
    });
  }
  $('run-triggers').addEventListener('click', async () => {
    const answer = await post('triggers');
    if (answer.ok) {
      const queued = answer.messages === 1 ? '1 message' : `${answer.messages} messages`;
      showNotice(`Scheduled triggers ran: ${answer.fired} fired, ${queued} queued.`);
    } else showNotice(answer.error ?? 'The triggers did not run.', 'error');
  });
  $('reset').addEventListener('click', async () => {
    const ok = await confirmDialog(
      {
        title: { text: 'Reset the playground?' },
        text: { text: 'Everything done here is wiped and the demo portfolio is seeded again.' },
        confirm: { text: 'Reset' },
        deny: { text: 'Keep it' },
      },
      'danger',
    );
    if (ok) await report(await post('reset'), 'The playground was reset to the demo portfolio.');
  });
}
