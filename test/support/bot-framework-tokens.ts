import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';

// The Bot Framework's token service as the bot sees it: an RSA signing key published as OpenID
// metadata (a JWKS whose keys carry `endorsements`, the channels each key may sign for), and channel
// tokens signed with it (RS256; iss https://api.botframework.com, aud the bot's app id, the activity's
// serviceUrl in `serviceurl`). The Bot Connector stand-in serves the metadata; tests sign tokens,
// including the bad ones an attacker would try.

export const TOKEN_ISSUER = 'https://api.botframework.com';
export const KEY_ID = 'stand-in-key-1';
export const METADATA_PATH = '/v1/.well-known/openidconfiguration';
export const KEYS_PATH = '/v1/.well-known/keys';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export function newSigningKey(kid = KEY_ID): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey };
}

/** The JWKS the metadata points at: each key endorsed for Teams. */
export function jwks(keys: SigningKey[]): { keys: Record<string, unknown>[] } {
  return {
    keys: keys.map((key) => {
      const { n, e } = key.publicKey.export({ format: 'jwk' });
      return { kty: 'RSA', use: 'sig', kid: key.kid, n, e, endorsements: ['msteams'] };
    }),
  };
}

export type Claims = Record<string, unknown>;

/** A channel token for `appId` and `serviceUrl`, valid for an hour; `claims` override any claim. */
export function channelClaims(appId: string, serviceUrl: string, claims: Claims = {}): Claims {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: TOKEN_ISSUER,
    aud: appId,
    serviceurl: serviceUrl,
    nbf: now - 60,
    iat: now - 60,
    exp: now + 3600,
    ...claims,
  };
}

/** A compact RS256 JWT; `kid` names the key in the header (it may differ from the key that signs). */
export function signToken(claims: Claims, key: SigningKey, kid = key.kid): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'RS256', typ: 'JWT', kid })}.${part(claims)}`;
  return `${body}.${sign('sha256', Buffer.from(body), key.privateKey).toString('base64url')}`;
}
