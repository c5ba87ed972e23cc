import type { FormValues } from '../../src/chat/command.ts';
import type { Form } from '../../src/chat/reply.ts';
import { invalidInput, isUserError } from '../../src/core/common/errors.ts';
import { CRITICALITIES, DATA_TYPES, REGULATIONS } from '../../src/core/common/vocabulary.ts';
import type { NewVendorInput } from '../../src/core/vendors/create-update.ts';
import {
  cleanVendorName,
  parseCriticality,
  parseDataTypes,
  parsePrincipal,
  parseRegulatoryScope,
} from '../../src/core/vendors/input.ts';

// The "add a vendor" form (bare `/vendor add`) and the reading of what came back: each field is
// checked by the core's own parser, so a mistake is shown on the field that holds it.

export const ADD_VENDOR_FORM = 'vendor.add';
export const NO_CHANNEL = 'none';

const DATA_LABELS: Record<string, string> = {
  PHI: 'PHI (patient health information)',
  PII: 'PII (personal data)',
  confidential: 'Confidential business data',
  none: 'No sensitive data',
};

/** `here` is the conversation the form was opened from, offered when findings could be posted there. */
export function addVendorForm(here: string | null): Form {
  const channelOptions = [{ value: NO_CHANNEL, label: 'Channel subscriptions (or the default findings channel)' }];
  // A Slack DM (D…) is between two people; the bot cannot post findings there.
  if (here && !here.startsWith('slack:D')) channelOptions.unshift({ value: here, label: 'This conversation' });
  return {
    id: ADD_VENDOR_FORM,
    title: 'Add a vendor',
    submitLabel: 'Add vendor',
    state: '',
    intro: 'The tier is derived from the data the vendor handles and how much we depend on it.',
    fields: [
      { id: 'name', label: 'Vendor name', kind: 'text', placeholder: 'Acme Health' },
      { id: 'services', label: 'Services', kind: 'textarea', optional: true, placeholder: 'Claims processing' },
      {
        id: 'data',
        label: 'Data types',
        kind: 'multiselect',
        options: DATA_TYPES.map((d) => ({ value: d, label: DATA_LABELS[d] ?? d })),
      },
      {
        id: 'criticality',
        label: 'Business criticality',
        kind: 'radio',
        initial: 'medium',
        options: CRITICALITIES.map((c) => ({ value: c, label: c[0]?.toUpperCase() + c.slice(1) })),
      },
      { id: 'owner', label: 'Owner', kind: 'user', optional: true, hint: 'Who answers reassessments and reminders' },
      { id: 'channel', label: 'Findings go to', kind: 'radio', initial: NO_CHANNEL, options: channelOptions },
      {
        id: 'regs',
        label: 'Regulations in scope',
        kind: 'multiselect',
        optional: true,
        options: REGULATIONS.map((r) => ({ value: r, label: r })),
      },
    ],
  };
}

const text = (v: FormValues[string]) => (Array.isArray(v) ? v.join(',') : (v ?? '')).trim();
const list = (v: FormValues[string]) => (Array.isArray(v) ? v : text(v));

/** The vendor to create, or the field errors that stop it. */
export function readVendorForm(
  values: FormValues,
): { input: NewVendorInput; errors: null } | { input: null; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const check = <T>(field: string, parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (error) {
      if (!isUserError(error)) throw error;
      errors[field] = error.message;
      return undefined;
    }
  };
  const name = check('name', () => cleanVendorName(text(values.name)));
  const dataTypes = check('data', () => {
    const types = parseDataTypes(list(values.data));
    if (types.length === 0) throw invalidInput('Choose at least one, or “No sensitive data”.');
    return types;
  });
  const criticality = check('criticality', () => parseCriticality(text(values.criticality)));
  const owner = text(values.owner);
  const ownerId = owner ? check('owner', () => parsePrincipal(owner, 'The owner')) : null;
  const regulatoryScope = check('regs', () => parseRegulatoryScope(list(values.regs)));
  const channel = text(values.channel);
  if (Object.keys(errors).length > 0 || !name || !criticality) return { input: null, errors };
  return {
    input: {
      name,
      services: text(values.services),
      dataTypes,
      criticality,
      ownerId,
      channel: channel && channel !== NO_CHANNEL ? channel : null,
      regulatoryScope,
    },
    errors: null,
  };
}
