import { isIP } from 'node:net';
import { checkServerIdentity, connect, type PeerCertificate, rootCertificates, type TLSSocket } from 'node:tls';
import type { TlsFacts } from '../../core/exposure/observation.ts';
import { notReached, type Probe, withDeadline } from '../probe.ts';

// TLS on an HTTPS endpoint: one handshake, nothing sent after it. The handshake accepts anything
// (old protocols included) so the certificate and protocol can be described; the core judges them.
// The protocol is the best the server offers: a server that also accepts old versions is not seen
// by a single connection, and the probe makes only one.

const ASKED = 'TLS handshake (certificate and protocol only)';
const SELF_SIGNED = new Set(['DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN']);

const iso = (text: string): string => {
  const at = new Date(text);
  return Number.isNaN(at.getTime()) ? text : at.toISOString();
};

const name = (dn: PeerCertificate['subject'] | undefined): string => {
  if (!dn) return '';
  const cn = Array.isArray(dn.CN) ? dn.CN[0] : dn.CN;
  const o = Array.isArray(dn.O) ? dn.O[0] : dn.O;
  return [cn && `CN=${cn}`, o && `O=${o}`].filter(Boolean).join(', ');
};

function handshake(socket: TLSSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('secureConnect', () => resolve());
    socket.once('error', reject);
  });
}

export const probeTls: Probe = async (target, options) => {
  const socket = connect({
    host: target.address,
    port: target.port,
    ...(isIP(target.hostname) ? {} : { servername: target.hostname }),
    rejectUnauthorized: false,
    minVersion: 'TLSv1',
    // Let the handshake complete with weak legacy servers, so they can be reported rather than missed.
    ciphers: 'DEFAULT:@SECLEVEL=0',
    ca: options.ca ? [...rootCertificates, ...options.ca] : undefined,
  });
  try {
    await withDeadline(options.timeoutMs, handshake(socket), () => socket.destroy());
    const cert = socket.getPeerCertificate(false);
    if (!cert?.valid_to) {
      return {
        check: 'tls',
        asked: ASKED,
        reached: true,
        access: 'unknown',
        facts: {},
        answered: 'no certificate presented',
      };
    }
    // Node counts a host name mismatch as an authorisation error; it is reported as its own fact.
    const raw = socket.authorized ? null : String(socket.authorizationError ?? 'unverified');
    const verifyError = raw === 'ERR_TLS_CERT_ALTNAME_INVALID' ? null : raw;
    const tls: TlsFacts = {
      protocol: socket.getProtocol() ?? 'unknown',
      subject: name(cert.subject),
      issuer: name(cert.issuer),
      validFrom: iso(cert.valid_from),
      validTo: iso(cert.valid_to),
      selfSigned: verifyError !== null && SELF_SIGNED.has(verifyError),
      hostMatches: checkServerIdentity(target.hostname, cert) === undefined,
      trusted: verifyError === null,
      verifyError,
    };
    return {
      check: 'tls',
      asked: ASKED,
      reached: true,
      access: 'unknown',
      facts: { protocol: tls.protocol, validTo: tls.validTo },
      tls,
      answered: `${tls.protocol}, certificate ${tls.subject || '(no subject)'} issued by ${tls.issuer || '(unknown)'}, valid until ${tls.validTo}${verifyError ? `, ${verifyError}` : ''}`,
    };
  } catch (error) {
    return notReached('tls', ASKED, error);
  } finally {
    socket.destroy();
  }
};
