import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { APP_ID, FORM_CONTENT_TYPE, type SlackRequest } from './slack-requests.ts';

// Slack's side of Socket Mode, on loopback: the app asks apps.connections.open (the Web API stand-in
// answers with `url`), opens a WebSocket here, gets `hello`, and from then on receives each command,
// interaction and event as an envelope that it acknowledges by echoing the envelope_id (with the
// response payload, where it has one). Like Slack, it pings every few seconds and can ask the app to
// reconnect with a `disconnect` message (Slack does so before it recycles a connection).

type Json = Record<string, unknown>;

export type EnvelopeType = 'slash_commands' | 'interactive' | 'events_api';

export interface Envelope {
  type: EnvelopeType;
  payload: Json;
  retryAttempt?: number;
}

export class SocketModeStandIn {
  /** Every connection the app has opened, in order; the last one is where envelopes go. */
  readonly connections: WebSocket[] = [];
  readonly #server: WebSocketServer;
  readonly #acks = new Map<string, (payload: Json | undefined) => void>();
  #pinger: NodeJS.Timeout | undefined;

  private constructor(server: WebSocketServer) {
    this.#server = server;
    server.on('connection', (socket) => {
      this.connections.push(socket);
      socket.on('message', (data) => this.#onAck(String(data)));
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: this.openConnections().length,
          debug_info: { host: 'stand-in', approximate_connection_time: 18060 },
          connection_info: { app_id: APP_ID },
        }),
      );
    });
    this.#pinger = setInterval(() => {
      for (const socket of this.openConnections()) socket.ping();
    }, 5_000);
    this.#pinger.unref();
  }

  static async start(): Promise<SocketModeStandIn> {
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    return new SocketModeStandIn(server);
  }

  /** What apps.connections.open hands out: a fresh ticket each time, as Slack's are single-use. */
  url(): string {
    const { port } = this.#server.address() as AddressInfo;
    return `ws://127.0.0.1:${port}/link/?ticket=${randomUUID()}`;
  }

  openConnections(): WebSocket[] {
    return this.connections.filter((s) => s.readyState === s.OPEN);
  }

  /** Resolves once the app holds `count` open connections (it connects asynchronously). */
  async connected(count = 1, timeoutMs = 10_000): Promise<void> {
    for (let waited = 0; this.openConnections().length < count; waited += 20) {
      if (waited > timeoutMs) throw new Error(`the app did not open ${count} Socket Mode connection(s)`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /** Sends one envelope to the newest connection and resolves with what the app acknowledged it with. */
  send(envelope: Envelope, timeoutMs = 10_000): Promise<Json | undefined> {
    const socket = this.openConnections().at(-1);
    if (!socket) return Promise.reject(new Error('no open Socket Mode connection'));
    const id = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#acks.delete(id);
        reject(new Error(`envelope ${envelope.type} was not acknowledged within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#acks.set(id, (payload) => {
        clearTimeout(timer);
        resolve(payload);
      });
      socket.send(
        JSON.stringify({
          envelope_id: id,
          type: envelope.type,
          payload: envelope.payload,
          accepts_response_payload: envelope.type !== 'events_api',
          ...(envelope.retryAttempt ? { retry_attempt: envelope.retryAttempt, retry_reason: 'timeout' } : {}),
        }),
      );
    });
  }

  /** Asks every connection to reconnect, as Slack does before recycling one; resolves once they closed. */
  async recycle(): Promise<void> {
    const closing = this.openConnections().map((socket) => {
      const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
      socket.send(
        JSON.stringify({ type: 'disconnect', reason: 'refresh_requested', debug_info: { host: 'stand-in' } }),
      );
      return closed;
    });
    await Promise.all(closing);
  }

  async close(): Promise<void> {
    clearInterval(this.#pinger);
    for (const socket of this.connections) socket.terminate();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #onAck(text: string): void {
    let message: { envelope_id?: string; payload?: Json };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    const resolve = message.envelope_id ? this.#acks.get(message.envelope_id) : undefined;
    if (!resolve || !message.envelope_id) return;
    this.#acks.delete(message.envelope_id);
    resolve(message.payload);
  }
}

/**
 * The envelope Slack would send over Socket Mode for a request it would otherwise POST: the same
 * payload, unsigned (the connection itself is authenticated by the app-level token).
 */
export function envelopeOf(request: SlackRequest): Envelope {
  const retry = request.headers['x-slack-retry-num'];
  const retryAttempt = retry ? Number(retry) : undefined;
  if (request.headers['content-type'] === FORM_CONTENT_TYPE) {
    const form = new URLSearchParams(request.body);
    const interactive = form.get('payload');
    if (interactive) return { type: 'interactive', payload: JSON.parse(interactive) as Json, retryAttempt };
    return { type: 'slash_commands', payload: Object.fromEntries(form), retryAttempt };
  }
  return { type: 'events_api', payload: JSON.parse(request.body) as Json, retryAttempt };
}
