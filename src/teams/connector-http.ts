import type { TeamsAdapter } from '@microsoft/teams-ai';

// botbuilder's connector client retries 429, 502 and 503 on its own (four attempts). The outbox relay
// is the one retry layer for proactive sends, so the notifier's connector uses this HTTP client
// instead: one request per call, and any error status thrown as a ConnectorHttpError. That error is
// not the Azure pipeline's RestError, so the pipeline's retry policy passes it through untouched.

type ConnectorClientOptions = NonNullable<ConstructorParameters<typeof TeamsAdapter>[3]>;
export type ConnectorHttpClient = NonNullable<ConnectorClientOptions['httpClient']>;
type WebResource = Parameters<ConnectorHttpClient['sendRequest']>[0];
type CompatResponse = Awaited<ReturnType<ConnectorHttpClient['sendRequest']>>;
type HeadersLike = CompatResponse['headers'];

const TIMEOUT_MS = 30_000;

/** The Bot Connector answered with an error status; `retryAfterMs` is its Retry-After, when it sent one. */
export class ConnectorHttpError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | null;

  constructor(status: number, retryAfterMs: number | null, method: string) {
    super(`Bot Connector answered ${status} to ${method}`);
    this.name = 'ConnectorHttpError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

export function createSingleAttemptHttpClient(fetchImpl: typeof fetch = fetch): ConnectorHttpClient {
  return {
    async sendRequest(request: WebResource): Promise<CompatResponse> {
      const signals = [AbortSignal.timeout(request.timeout || TIMEOUT_MS)];
      if (request.abortSignal) signals.push(request.abortSignal as AbortSignal);
      const response = await fetchImpl(request.url, {
        method: request.method,
        headers: request.headers.rawHeaders(),
        body: typeof request.body === 'string' || request.body instanceof Uint8Array ? request.body : undefined,
        signal: AbortSignal.any(signals),
      });
      const bodyAsText = await response.text();
      if (response.status >= 400) {
        throw new ConnectorHttpError(
          response.status,
          parseRetryAfter(response.headers.get('retry-after')),
          request.method,
        );
      }
      const headers = new Headers();
      for (const [name, value] of response.headers) headers.set(name, value);
      return { request, status: response.status, headers, bodyAsText };
    },
  };
}

/** Retry-After in seconds or as an HTTP date, in milliseconds from now; null when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (!value?.trim()) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/** The header collection the compat layer reads responses through. */
class Headers implements HeadersLike {
  readonly #map = new Map<string, { name: string; value: string }>();

  set(name: string, value: string | number): void {
    this.#map.set(name.toLowerCase(), { name, value: String(value) });
  }
  get(name: string): string | undefined {
    return this.#map.get(name.toLowerCase())?.value;
  }
  contains(name: string): boolean {
    return this.#map.has(name.toLowerCase());
  }
  remove(name: string): boolean {
    return this.#map.delete(name.toLowerCase());
  }
  rawHeaders(): Record<string, string> {
    return this.toJson();
  }
  headersArray(): { name: string; value: string }[] {
    return [...this.#map.values()];
  }
  headerNames(): string[] {
    return this.headersArray().map((h) => h.name);
  }
  headerValues(): string[] {
    return this.headersArray().map((h) => h.value);
  }
  clone(): HeadersLike {
    const copy = new Headers();
    for (const h of this.#map.values()) copy.set(h.name, h.value);
    return copy;
  }
  toJson(options?: { preserveCase?: boolean }): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [key, h] of this.#map) out[options?.preserveCase ? h.name : key] = h.value;
    return out;
  }
}
