import type { ChatDriver } from './driver.ts';

// A scenario is written once and run against every driver. It asserts what a person would notice,
// in neutral terms; where a platform differs on purpose, the difference is named in the scenario and
// explained in docs/platform-differences.md.

export interface Scenario {
  name: string;
  /**
   * A bug outside the adapters (src/chat, commands, src/core) that makes this scenario fail on these
   * platforms. The scenario keeps its full assertions and is expected to fail there, at that bug, until
   * the bug is fixed; then the expectation fails and the mark must go.
   */
  knownBug?: {
    on: ChatDriver['platform'][];
    bug: string;
    /** Part of the failure the bug causes: the scenario must fail with it, not with anything else. */
    failsWith: string;
  };
  run(driver: ChatDriver): Promise<void>;
}
