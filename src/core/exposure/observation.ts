import type { CheckKind } from './checks.ts';

// What a probe saw, in facts the core judges (src/core/exposure/judge.ts). Probes live outside the
// core (src/exposure/) because they do network I/O; this is the shape they report in. Nothing in an
// observation is data from the vendor's systems: only what was asked, the kind of answer, and
// metadata such as a product version or how many databases are listed.

export interface TlsFacts {
  /** Negotiated protocol, e.g. TLSv1.3. */
  protocol: string;
  subject: string;
  issuer: string;
  /** ISO-8601 UTC. */
  validFrom: string;
  validTo: string;
  selfSigned: boolean;
  /** The certificate names the host that was asked for. */
  hostMatches: boolean;
  /** The chain verified against the trusted roots. */
  trusted: boolean;
  /** OpenSSL's verification error, e.g. CERT_HAS_EXPIRED, when not trusted. */
  verifyError: string | null;
}

export interface Observation {
  check: CheckKind;
  /** The requests made, e.g. "GET / then GET /_cat/indices". */
  asked: string;
  /** A one-line account of the answer, e.g. "200: Elasticsearch 8.11.1, 12 indices". Untrusted text. */
  answered: string;
  /** False when nothing answered (refused, timed out, not the expected service). */
  reached: boolean;
  /**
   * For datastores: `open` when metadata came back without credentials, `protected` when the
   * service asked for them or refused, `unknown` when it could not be told.
   */
  access: 'open' | 'protected' | 'unknown';
  /** Metadata only: product, version, counts, names of databases or indexes. */
  facts: Record<string, string | number>;
  tls?: TlsFacts;
}
