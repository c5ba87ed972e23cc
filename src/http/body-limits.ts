// One body limit per endpoint, in one place, each enforced before anything parses the body: a
// declared Content-Length over it is refused at once, and a streamed body is cut off at it.
// Sized from what each platform really sends: Slack's largest payloads are view submissions and
// block actions carrying a whole message (50 blocks, URL-encoded); Teams activities and card
// invokes stay far below Teams' own 100 KB message limit; the signals webhook takes a batch.

export const BODY_LIMITS = {
  slack: 1024 * 1024,
  teams: 256 * 1024,
  signals: 256 * 1024,
} as const;

/** True when the request declares a body larger than `limit` bytes. */
export function declaredTooLarge(contentLength: string | undefined, limit: number): boolean {
  if (contentLength === undefined) return false;
  const declared = Number(contentLength);
  return !Number.isFinite(declared) || declared > limit;
}
