import { invalidInput } from '../common/errors.ts';
import {
  CRITICALITIES,
  type Criticality,
  DATA_TYPES,
  type DataType,
  REGULATIONS,
  TIERS,
  type Tier,
  VENDOR_STATUSES,
  type VendorStatus,
} from '../common/vocabulary.ts';

// Turns what people type (or a CSV holds) into canonical values, or says plainly what is accepted.
// Matching ignores case, spaces and punctuation, so "pci-dss", "PCI DSS" and "pcidss" all mean PCI DSS.

const MAX_NAME = 120;

const squash = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

/** Vendor names are unique ignoring case, accents' composed forms and repeated spaces. */
export function nameKeyOf(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

export function cleanVendorName(name: string): string {
  const clean = name.normalize('NFKC').trim().replace(/\s+/g, ' ');
  if (!clean) throw invalidInput('A vendor needs a name.');
  if (clean.length > MAX_NAME) throw invalidInput(`A vendor name can be at most ${MAX_NAME} characters.`);
  return clean;
}

export function pickOne<T extends string>(list: readonly T[], value: string, label: string): T {
  const found = list.find((item) => squash(item) === squash(value));
  if (!found) throw invalidInput(`${label} must be one of ${list.join(', ')}; “${value.trim()}” is not.`);
  return found;
}

/** Several values from a list or from text like "PHI; PII", deduplicated, in the vocabulary's order. */
export function pickMany<T extends string>(list: readonly T[], values: string | readonly string[], label: string): T[] {
  const raw = typeof values === 'string' ? values.split(/[,;|]/) : values;
  const picked = new Set(
    raw
      .map((v) => v.trim())
      .filter(Boolean)
      .map((v) => pickOne(list, v, label)),
  );
  return list.filter((item) => picked.has(item));
}

/** "none" next to a real data type says nothing, so it is dropped rather than refused. */
export function parseDataTypes(values: string | readonly string[]): DataType[] {
  const types = pickMany(DATA_TYPES, values, 'Data types');
  return types.length > 1 ? types.filter((t) => t !== 'none') : types;
}

export function parseRegulatoryScope(values: string | readonly string[]): string[] {
  return pickMany(REGULATIONS, values, 'Regulatory scope');
}

export const parseCriticality = (value: string): Criticality => pickOne(CRITICALITIES, value, 'Criticality');
export const parseTier = (value: string): Tier => pickOne(TIERS, value, 'Tier');
/** 'onboarding', the status before the lifecycle, now means in due diligence. */
export const parseStatus = (value: string): VendorStatus => {
  const status = pickOne(VENDOR_STATUSES, value, 'Status');
  return status === 'onboarding' ? 'in_review' : status;
};

/** A chat target such as `slack:C0123` or `teams:conv:19:abc`; empty means "none". */
export function parseChannel(value: string | null): string | null {
  const v = value?.trim() ?? '';
  if (!v) return null;
  if (!/^(slack|teams):\S+$/.test(v)) {
    throw invalidInput(`“${v}” is not a channel the bot can post to (expected slack:C… or teams:conv:…).`);
  }
  return v;
}

/** A person as the store names them: `slack:U123`, `teams:<id>`, `cli:<user>`. */
export function parsePrincipal(value: string, label: string): string {
  const v = value.trim();
  if (!/^[a-z]+:\S+$/.test(v)) throw invalidInput(`${label} must be a person such as slack:U0123, not “${v}”.`);
  return v;
}

export function requireReason(reason: string | null | undefined, what: string): string {
  const r = reason?.trim() ?? '';
  if (r.length < 3) throw invalidInput(`Please give a reason for ${what}; it goes into the audit trail.`);
  return r;
}

/** Lists are stored as JSON text arrays. */
export function readList(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.map(String) : [];
}
