// Teams anonymous dev mode (no app id, TEAMS_ALLOW_ANONYMOUS_DEV=true) authenticates nothing, so it
// must never sit beside a live deployment: the configuration refuses it next to any other platform
// credential (src/config.ts), the bot refuses to bind it to anything but loopback, and it answers
// only activities whose serviceUrl is on this machine, so a forged activity cannot send replies
// (and the data in them) to a server of the sender's choosing.

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

export function isLoopbackHost(host: string): boolean {
  const h = host.trim().toLowerCase();
  return LOOPBACK_HOSTS.has(h) || /^127(\.\d{1,3}){3}$/.test(h);
}

/** True only for an http(s) URL whose host is loopback. */
export function isLoopbackUrl(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && isLoopbackHost(parsed.hostname);
  } catch {
    return false;
  }
}

/** The environment variables that mean a real deployment; anonymous mode refuses to start beside them. */
export const LIVE_CREDENTIALS = [
  'SLACK_BOT_TOKEN',
  'SLACK_SIGNING_SECRET',
  'SLACK_APP_TOKEN',
  'MICROSOFT_APP_PASSWORD',
  'SIGNALS_WEBHOOK_SECRET',
] as const;
