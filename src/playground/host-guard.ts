import type { NextFunction, Request, Response } from 'express';

// The playground runs on a developer's machine with no login, so the browser is its only boundary.
// DNS rebinding (a page on evil.example re-pointed at 127.0.0.1) arrives with that page's Host;
// a cross-site form or fetch arrives with that site's Origin. Only our own names pass: the bound
// host, localhost and the loopback addresses, each at the port the request came in on.

const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'];

function ownHosts(boundHost: string, port: number): Set<string> {
  const bound = boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost;
  return new Set([...LOOPBACK_NAMES, bound].map((name) => `${name}:${port}`.toLowerCase()));
}

/** 421 for a foreign Host; 403 for a POST whose Origin is not this playground. */
export function playgroundHostGuard(boundHost: string) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const own = ownHosts(boundHost, req.socket.localPort ?? 0);
    const host = (req.headers.host ?? '').toLowerCase();
    if (!own.has(host)) {
      res.status(421).json({ error: 'this playground answers only on its own address' });
      return;
    }
    const origin = req.headers.origin;
    if (req.method === 'POST' && origin !== undefined && !isOwnOrigin(origin, own)) {
      res.status(403).json({ error: 'cross-site request refused' });
      return;
    }
    next();
  };
}

function isOwnOrigin(origin: string, own: Set<string>): boolean {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' && own.has(url.host.toLowerCase());
  } catch {
    return false;
  }
}
