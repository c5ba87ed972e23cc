import type { CoreDeps } from '../../core/common/deps.ts';
import { loadOffboarding } from '../../core/lifecycle/offboarding.ts';
import type { Reply } from '../reply.ts';
import { activationCard, intakeCard, offboardingCard } from '../views/lifecycle-cards.ts';

// The vendor lifecycle's notifications, read at send time so an edit shows the latest state.

export const renderLifecycle = {
  intake: (deps: CoreDeps, vendorId: number): Promise<Reply | null> => intakeCard(deps.db, vendorId),
  activation: (deps: CoreDeps, requestId: number): Promise<Reply | null> => activationCard(deps.db, requestId),
  async offboarding(deps: CoreDeps, offboardingId: number): Promise<Reply | null> {
    const view = await loadOffboarding(deps.db, offboardingId).catch(() => null);
    return view ? offboardingCard(deps.db, view) : null;
  },
};
