import { type Activity, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import type { TeamsConfig } from '../config.ts';
import { botFrameworkSettings, createCredentialsFactory } from './adapter.ts';

// Who may POST to /api/messages when an app id is configured: the Bot Framework channel, and only
// with a token minted for this bot and this activity. The documented checks (Bot Connector
// authentication): a Bearer JWT, issued by https://api.botframework.com, for our app id (aud), within
// its validity (5 minutes of clock skew), signed by a key the Bot Framework's OpenID metadata lists and
// endorses for the activity's channel, whose `serviceurl` claim is the activity's serviceUrl. So a
// serviceUrl is trusted only from an authenticated activity: a token cannot be replayed to send the
// bot's replies (and the data in them) somewhere else.
//
// The claims are read first, without trusting them, so that an obviously wrong token is refused with
// a precise reason and without fetching keys, and so that only channel tokens reach botbuilder (its
// emulator and skill token paths are not for a Teams deployment). botbuilder then verifies the token
// in full. Every failure of the token is 401 (botbuilder itself answers 500 to a signature made with a
// key it does not hold); only keys we could not fetch are our problem (503, logged as an error).

export const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';
/** botbuilder's tolerance for clocks that disagree, applied to exp and nbf. */
const CLOCK_SKEW_SECONDS = 5 * 60;

export type InboundVerdict = { ok: true } | { ok: false; status: 401 | 503; reason: string };

export type InboundAuthenticator = (activity: unknown, authorization: string | undefined) => Promise<InboundVerdict>;

const refused = (reason: string): InboundVerdict => ({ ok: false, status: 401, reason });

/** The token's claims, not yet trusted: for refusing early and saying why. Null when it is no JWT. */
export function unverifiedClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    const claims: unknown = JSON.parse(Buffer.from(parts[1] ?? '', 'base64url').toString('utf8'));
    return claims && typeof claims === 'object' && !Array.isArray(claims) ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** Why these claims cannot be a channel token for this bot and activity; null when they may be. */
export function claimsProblem(
  claims: Record<string, unknown>,
  expected: { appId: string; serviceUrl: unknown; nowSeconds: number },
): string | null {
  if (claims.iss !== CHANNEL_TOKEN_ISSUER) return 'token not issued by the Bot Framework channel (iss)';
  if (claims.aud !== expected.appId) return 'token issued for another bot (aud)';
  if (typeof claims.exp !== 'number') return 'token has no expiry (exp)';
  if (claims.exp + CLOCK_SKEW_SECONDS < expected.nowSeconds) return 'token expired (exp)';
  if (typeof claims.nbf === 'number' && claims.nbf - CLOCK_SKEW_SECONDS > expected.nowSeconds)
    return 'token not valid yet (nbf)';
  if (typeof expected.serviceUrl !== 'string' || claims.serviceurl !== expected.serviceUrl)
    return 'token issued for another serviceUrl (serviceurl)';
  return null;
}

const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/** A failure of the token itself (401), rather than of fetching the keys to check it with (503). */
function isTokenFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (TOKEN_ERRORS.has(error.name)) return true;
  const status = (error as { statusCode?: unknown }).statusCode;
  return status === 401 || status === 403;
}

export function createInboundAuthenticator(config: TeamsConfig): InboundAuthenticator {
  const settings = botFrameworkSettings(config);
  const authentication = new ConfigurationBotFrameworkAuthentication(settings, createCredentialsFactory(settings));
  return async (body, authorization) => {
    const [scheme, token, ...rest] = (authorization ?? '').trim().split(/\s+/);
    if (scheme !== 'Bearer' || !token || rest.length > 0) return refused('no Bearer token');
    const claims = unverifiedClaims(token);
    if (!claims) return refused('token is not a JWT');
    const activity = (body && typeof body === 'object' ? body : {}) as Partial<Activity>;
    const problem = claimsProblem(claims, {
      appId: config.appId,
      serviceUrl: activity.serviceUrl,
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (problem) return refused(problem);
    try {
      await authentication.authenticateRequest(activity as Activity, `Bearer ${token}`);
      return { ok: true };
    } catch (error) {
      if (isTokenFailure(error)) return refused('signature not valid: unknown key, altered token or key not endorsed');
      const message = error instanceof Error ? error.message : String(error);
      return { ok: false, status: 503, reason: `could not fetch the Bot Framework signing keys: ${message}` };
    }
  };
}
