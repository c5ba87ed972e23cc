import type { ChatDriver } from './driver.ts';

// A scenario is written once and run against every driver. It asserts what a person would notice,
// in neutral terms; where a platform differs on purpose, the difference is named in the scenario and
// explained in docs/platform-differences.md.

export interface Scenario {
  name: string;
  run(driver: ChatDriver): Promise<void>;
}
