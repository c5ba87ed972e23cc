import { StartupError } from '../startup-failure.ts';

// Why Slack refused to let the bot start, in the operator's terms: the token (fix the setting), or the
// Web API out of reach (fix the network or SLACK_API_URL). Bolt calls auth.test with the bot token at
// start-up; Socket Mode then opens its connection with the app-level token.

const TOKEN_ERRORS = new Set(['invalid_auth', 'not_authed', 'account_inactive', 'token_revoked', 'token_expired']);

export function slackStartupError(
  error: unknown,
  token: 'SLACK_BOT_TOKEN' | 'SLACK_APP_TOKEN',
  apiUrl: string | undefined,
): StartupError {
  const e = error as { code?: unknown; data?: { error?: unknown }; original?: { code?: unknown; message?: unknown } };
  const platformError = typeof e?.data?.error === 'string' ? e.data.error : undefined;
  if (platformError && TOKEN_ERRORS.has(platformError)) {
    return new StartupError(`Slack refused ${token} (${platformError}): check the token in the app's settings`);
  }
  if (platformError) return new StartupError(`Slack refused to start the bot (${platformError})`);
  const where = apiUrl ?? 'https://slack.com/api/';
  if (e?.code === 'slack_webapi_request_error' || e?.code === 'slack_webapi_http_error') {
    const cause = e.original?.code ?? e.original?.message ?? 'no answer';
    return new StartupError(`Slack's Web API at ${where} could not be reached (${String(cause)})`);
  }
  return new StartupError(`Slack start-up failed: ${error instanceof Error ? error.message : String(error)}`);
}
