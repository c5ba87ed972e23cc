import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { vetAddresses } from '../core/exposure/addresses.ts';
import type { Observation } from '../core/exposure/observation.ts';
import type { Target } from '../core/exposure/targets.ts';
import type { ProbePacer } from './pacing.ts';
import type { Probe } from './probe.ts';
import { PROBES } from './probes/index.ts';

// One declared target, checked: resolve its name now (never earlier: a name's addresses change), refuse
// it if it points anywhere non-public (unless allowed), then run its probe against exactly the vetted
// address, when the pacer allows.

export interface ProbeSettings {
  allowPrivate: boolean;
  timeoutMs: number;
  ca?: string[];
  pacer: ProbePacer;
  /** Tests replace the probes or the resolver; production uses the real ones. */
  probes?: Partial<Record<Target['kind'], Probe>>;
  resolve?: (host: string) => Promise<string[]>;
}

export interface ProbeRun {
  observation: Observation;
  /** The address connected to; null when none was (unresolvable or refused). */
  address: string | null;
}

async function resolveAll(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true, verbatim: true });
  return found.map((a) => a.address);
}

export async function probeTarget(target: Target, settings: ProbeSettings): Promise<ProbeRun> {
  const probe = settings.probes?.[target.kind] ?? PROBES[target.kind];
  const asked = `resolve ${target.host}`;
  let addresses: string[];
  try {
    addresses = isIP(target.host) ? [target.host] : await (settings.resolve ?? resolveAll)(target.host);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      address: null,
      observation: {
        check: target.kind,
        asked,
        answered: `could not resolve (${String(code ?? 'error')})`,
        reached: false,
        access: 'unknown',
        facts: {},
      },
    };
  }
  const vetted = vetAddresses(target.host, addresses, settings.allowPrivate);
  if ('refused' in vetted) {
    return {
      address: null,
      observation: {
        check: target.kind,
        asked,
        answered: vetted.refused,
        reached: false,
        access: 'unknown',
        facts: {},
      },
    };
  }
  const observation = await settings.pacer.schedule(target.host, () =>
    probe(
      { address: vetted.address, port: target.port, hostname: target.host, secure: target.secure, path: target.path },
      { timeoutMs: settings.timeoutMs, ca: settings.ca },
    ),
  );
  return { address: vetted.address, observation };
}
