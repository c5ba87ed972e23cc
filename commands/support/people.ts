import type { CoreDeps } from '../../src/core/common/deps.ts';
import { displayName } from '../../src/core/roles/people.ts';

/** Printed names for the people on a page, one lookup per distinct person. */
export async function namesOf(
  db: CoreDeps['db'],
  principals: readonly (string | null)[],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const principal of new Set(principals)) {
    if (principal) names.set(principal, (await displayName(db, principal)) ?? principal);
  }
  return names;
}
