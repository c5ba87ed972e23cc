import type { CheckKind } from '../core/exposure/checks.ts';
import type { Observation } from '../core/exposure/observation.ts';

// The contract every probe keeps: one connection to one address, a deadline, read-only requests,
// and an Observation back whatever happens. A probe never throws for a network problem; it reports
// the service as not reached, which the core turns into "could not check", never into a finding.

export interface ProbeTarget {
  /** The IP address to connect to, resolved and vetted before the probe runs. */
  address: string;
  port: number;
  /** The name the asset was declared with: TLS server name, HTTP Host header, certificate check. */
  hostname: string;
  /** HTTP kinds: speak HTTPS. */
  secure: boolean;
  /** HTTP kinds: the path declared with the asset (an S3 bucket), "/" when none. */
  path: string;
}

export interface ProbeOptions {
  /** The whole probe, connection included, ends after this long. */
  timeoutMs: number;
  /** Extra trusted root certificates (PEM), for private CAs in on-premises deployments and tests. */
  ca?: string[];
}

export type Probe = (target: ProbeTarget, options: ProbeOptions) => Promise<Observation>;

/** A short, stack-free description of why a connection failed, safe to keep and show. */
export function networkError(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  const code = typeof e.code === 'string' ? e.code : null;
  const message = typeof e.message === 'string' ? e.message.split('\n')[0]?.slice(0, 200) : String(error);
  return code && !message?.includes(code) ? `${code}: ${message}` : (message ?? 'unknown error');
}

export function notReached(check: CheckKind, asked: string, error: unknown): Observation {
  return { check, asked, answered: `no answer (${networkError(error)})`, reached: false, access: 'unknown', facts: {} };
}

/** Rejects after `ms` unless `work` settles first; `onTimeout` closes whatever the work holds open. */
export async function withDeadline<T>(ms: number, work: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      const error = new Error(`no answer within ${ms} ms`) as Error & { code: string };
      error.code = 'ETIMEDOUT';
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** Keeps metadata short: names are listed up to a handful, the rest only counted. */
export function someNames(names: readonly string[], max = 10): string {
  const shown = names.slice(0, max).map((n) => n.slice(0, 80));
  return names.length > max ? `${shown.join(', ')}, …` : shown.join(', ');
}
