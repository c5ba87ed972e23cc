import type { Request, Response } from 'express';

// Live updates as Server-Sent Events: whenever the workspace, a modal or the clock changes, every open
// page hears "changed" with a version number and fetches what its persona now sees. Changes that come
// in a burst (a sweep queueing many cards) are sent as one.

const COALESCE_MS = 30;
const KEEPALIVE_MS = 15_000;

export class Live {
  readonly #clients = new Set<Response>();
  #version = 0;
  #timer: NodeJS.Timeout | null = null;
  readonly #keepalive: NodeJS.Timeout;

  constructor() {
    // Proxies and browsers drop a silent stream; a comment line keeps it open.
    this.#keepalive = setInterval(() => {
      for (const res of this.#clients) res.write(': keepalive\n\n');
    }, KEEPALIVE_MS);
    this.#keepalive.unref();
  }

  get version(): number {
    return this.#version;
  }

  changed(): void {
    this.#version += 1;
    if (this.#timer) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      for (const res of this.#clients) res.write(`event: changed\ndata: ${this.#version}\n\n`);
    }, COALESCE_MS);
  }

  /** GET handler: holds the response open as an event stream until the page goes away. */
  subscribe = (req: Request, res: Response): void => {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write(`retry: 1000\nevent: changed\ndata: ${this.#version}\n\n`);
    this.#clients.add(res);
    req.on('close', () => this.#clients.delete(res));
  };

  close(): void {
    clearInterval(this.#keepalive);
    if (this.#timer) clearTimeout(this.#timer);
    for (const res of this.#clients) res.end();
    this.#clients.clear();
  }
}
