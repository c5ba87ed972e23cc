import type { Severity, SignalKind } from '../common/vocabulary.ts';
import { CHECK_LABELS } from './checks.ts';
import type { Observation } from './observation.ts';

// From what a probe saw to what it means. A service that answers without credentials is critical:
// that is how a clinical-trial database of 1.6 million records was once read by strangers. A TLS
// problem is high when clients cannot trust the endpoint today and medium when it soon will not.
// Nothing that did not answer is ever a finding: it is "could not check".

export const OUTCOMES = ['exposed', 'passed', 'could_not_check'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Issue =
  | 'unauthenticated'
  | 'certificate_expired'
  | 'certificate_expiring'
  | 'hostname_mismatch'
  | 'self_signed'
  | 'untrusted_certificate'
  | 'old_tls';

export interface Problem {
  issue: Issue;
  severity: Severity;
  signalKind: SignalKind;
  /** One line for the signal; built from untrusted text (renderers escape it). */
  summary: string;
  details: Record<string, string | number>;
}

export interface Verdict {
  outcome: Outcome;
  problems: Problem[];
}

const DAY = 86_400_000;
const MODERN = new Set(['TLSv1.2', 'TLSv1.3']);

export function judge(seen: Observation, at: { host: string; port: number }, now: Date, warnDays: number): Verdict {
  const where = { host: at.host, port: at.port };
  if (seen.check !== 'tls') {
    if (seen.access === 'open') {
      const service = String(seen.facts.product ?? CHECK_LABELS[seen.check]);
      return {
        outcome: 'exposed',
        problems: [
          {
            issue: 'unauthenticated',
            severity: 'critical',
            signalKind: 'exposed_datastore',
            summary: `${service} at ${at.host}:${at.port} answered without authentication (${seen.answered})`,
            details: { ...where, service, asked: seen.asked, answered: seen.answered, ...seen.facts },
          },
        ],
      };
    }
    return { outcome: seen.access === 'protected' ? 'passed' : 'could_not_check', problems: [] };
  }
  const tls = seen.tls;
  if (!seen.reached || !tls) return { outcome: 'could_not_check', problems: [] };
  const problems: Problem[] = [];
  const add = (issue: Issue, severity: Severity, problem: string) =>
    problems.push({
      issue,
      severity,
      signalKind: 'tls_certificate',
      summary: `${at.host}:${at.port}: ${problem}`,
      details: {
        ...where,
        issue: problem,
        protocol: tls.protocol,
        validTo: tls.validTo,
        subject: tls.subject,
        issuer: tls.issuer,
      },
    });
  const left = Math.floor((new Date(tls.validTo).getTime() - now.getTime()) / DAY);
  if (new Date(tls.validTo).getTime() <= now.getTime())
    add('certificate_expired', 'high', `certificate expired on ${tls.validTo.slice(0, 10)}`);
  else if (left < warnDays)
    add('certificate_expiring', 'medium', `certificate expires on ${tls.validTo.slice(0, 10)}, in ${left} days`);
  if (!tls.hostMatches)
    add('hostname_mismatch', 'high', `certificate is for ${tls.subject || 'another name'}, not ${at.host}`);
  if (tls.selfSigned) add('self_signed', 'high', 'certificate is self-signed');
  else if (!tls.trusted && tls.verifyError !== 'CERT_HAS_EXPIRED') {
    add('untrusted_certificate', 'high', `certificate is not trusted (${tls.verifyError ?? 'unverified'})`);
  }
  if (!MODERN.has(tls.protocol))
    add('old_tls', 'medium', `offers nothing newer than ${tls.protocol}; TLS 1.2 is the minimum`);
  return { outcome: problems.length ? 'exposed' : 'passed', problems };
}
