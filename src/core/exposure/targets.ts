import { isIP } from 'node:net';
import { invalidInput } from '../common/errors.ts';
import { type CheckKind, checkKindWord, DEFAULT_PORTS, HTTP_KINDS, kindForPort } from './checks.ts';

// A declared asset's target: `host`, `host:port`, `[v6]:port` or a URL, with the kind of check named
// or implied (by the port, or https:// meaning a TLS check). The canonical text is what is stored and
// what a later `asset remove` matches, so the same target typed two ways is one asset.

export interface Target {
  host: string;
  port: number;
  kind: CheckKind;
  /** HTTP kinds: connect with TLS. */
  secure: boolean;
  /** HTTP kinds: the path, e.g. an S3 bucket; "/" when none. */
  path: string;
  /** e.g. `es.acme.example:9200`, `https://files.acme.example/exports`. */
  canonical: string;
}

const HOST = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}$/;
const SINGLE_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

function bad(raw: string): never {
  throw invalidInput(
    `“${raw}” is not a host, host:port or URL (e.g. search.acme.example:9200 or https://files.acme.example/bucket).`,
  );
}

export function parseTarget(raw: string, kindWord?: string | null): Target {
  const text = raw.trim();
  if (!text || /\s/.test(text)) bad(text);
  let named: CheckKind | null = null;
  if (kindWord) {
    named = checkKindWord(kindWord);
    if (!named)
      throw invalidInput(
        `“${kindWord}” is not a kind of check; use one of ${[...Object.keys(DEFAULT_PORTS)].join(', ')}.`,
      );
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase() ?? null;
  let url: URL;
  try {
    url = new URL(scheme ? text : `tcp://${text}`);
  } catch {
    bad(text);
  }
  if (url.username || url.password) {
    throw invalidInput('Leave credentials out of the target: the check asks without any, on purpose.');
  }
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (!(isIP(host) || HOST.test(host) || SINGLE_LABEL.test(host))) bad(text);
  const explicitPort = url.port ? Number(url.port) : null;
  const secure = scheme === 'https';
  let kind = named;
  if (!kind && explicitPort !== null) kind = kindForPort(explicitPort);
  if (!kind && secure) kind = 'tls';
  if (!kind) {
    throw invalidInput(
      `Say what runs at ${text}: add a kind (${Object.keys(DEFAULT_PORTS).join(', ')}), or give its usual port.`,
    );
  }
  const port = explicitPort ?? (scheme === 'http' ? 80 : secure ? 443 : DEFAULT_PORTS[kind]);
  const http = HTTP_KINDS.includes(kind);
  const path = http ? url.pathname.replace(/\/+$/, '') || '/' : '/';
  const hostPart = isIP(host) === 6 ? `[${host}]` : host;
  const usesTls = secure || kind === 'tls' || (kind === 's3' && scheme !== 'http');
  const canonical =
    http || kind === 'tls'
      ? `${usesTls ? 'https' : 'http'}://${hostPart}${port === (usesTls ? 443 : 80) ? '' : `:${port}`}${path === '/' ? '' : path}`
      : `${hostPart}:${port}`;
  return { host, port, kind, secure: usesTls, path, canonical };
}
