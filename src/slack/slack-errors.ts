// Web API and response_url failures, described for the log without the request, the client or any
// header: a platform error code, an HTTP status, a retry hint and the message are enough to act on.

export function describeSlackError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error) };
  const e = error as Error & {
    code?: unknown;
    data?: { error?: unknown };
    statusCode?: unknown;
    retryAfter?: unknown;
  };
  return {
    name: e.name,
    message: e.message,
    ...(typeof e.code === 'string' ? { code: e.code } : {}),
    ...(typeof e.data?.error === 'string' ? { slackError: e.data.error } : {}),
    ...(typeof e.statusCode === 'number' ? { statusCode: e.statusCode } : {}),
    ...(typeof e.retryAfter === 'number' ? { retryAfter: e.retryAfter } : {}),
  };
}
