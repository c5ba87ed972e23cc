import { describe, expect, it } from 'vitest';
import { inert } from '../../src/chat/inert.ts';
import { clockForm } from '../../src/chat/views/incident-forms.ts';
import type { IncidentDetail } from '../../src/core/incidents/queries.ts';

describe('the incident clock form', () => {
  it('names the vendor as inert text, so a vendor named with a link cannot phish from the form', () => {
    const name = 'Acme [re-verify your SSO session](https://evil.example/sso)';
    const detail = { incident: { id: 7 }, vendor: { name }, clocks: [] } as unknown as IncidentDetail;
    const form = clockForm(detail, [], 'met');
    expect(form.intro).toContain(`Incident #7 at ${inert(name)}`);
    expect(form.intro).not.toContain(name);
  });
});
