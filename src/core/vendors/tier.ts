import type { Criticality, DataType, Tier } from '../common/vocabulary.ts';

/**
 * Inherent risk from what data the vendor touches and how much the business depends on it.
 * The most sensitive data type decides; high criticality lifts PII, confidential data and
 * "no sensitive data" one step, because an outage or a leak there hurts more:
 *
 *   PHI                               -> critical
 *   PII          + high criticality   -> critical, otherwise high
 *   confidential + high criticality   -> high,     otherwise medium
 *   none / empty + high criticality   -> medium,   otherwise low
 */
export function deriveTier(dataTypes: readonly DataType[], criticality: Criticality): Tier {
  const high = criticality === 'high';
  if (dataTypes.includes('PHI')) return 'critical';
  if (dataTypes.includes('PII')) return high ? 'critical' : 'high';
  if (dataTypes.includes('confidential')) return high ? 'high' : 'medium';
  return high ? 'medium' : 'low';
}

/**
 * How much the business will depend on a vendor nobody has rated yet, from how many records it will
 * hold (intake): 100,000 or more is high, 1,000 or more medium, fewer (or unknown) low. A leak of a large
 * data set is what makes a vendor critical to us.
 */
export function criticalityFromRecords(recordCount: number | null): Criticality {
  if (recordCount !== null && recordCount >= 100_000) return 'high';
  if (recordCount !== null && recordCount >= 1_000) return 'medium';
  return 'low';
}
