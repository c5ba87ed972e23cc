// The playground's own API: what the page reads (the persona's view of the workspace) and what it
// sends (what the person did). Every answer is JSON `{ ok, error?, fieldErrors? }`.

export async function getState(persona) {
  const response = await fetch(`/playground/api/state?as=${encodeURIComponent(persona)}`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`The playground answered HTTP ${response.status}.`);
  return response.json();
}

export async function post(path, body = {}) {
  try {
    const response = await fetch(`/playground/api/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const answer = await response.json().catch(() => ({}));
    if (!response.ok && answer.ok === undefined)
      return { ok: false, error: `The playground answered HTTP ${response.status}.` };
    return answer;
  } catch {
    return { ok: false, error: 'The playground server cannot be reached. Is it still running?' };
  }
}

/** Calls `onChange` whenever anything a person could see has changed; reconnects by itself. */
export function watch(onChange, onStatus) {
  const source = new EventSource('/playground/api/events');
  source.addEventListener('changed', () => onChange());
  source.addEventListener('open', () => onStatus(true));
  source.addEventListener('error', () => onStatus(false));
  return source;
}
