import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

// The signed-request builders live with the playground, which sends them for real; tests share them.
export * from '../../src/playground/slack-payloads.ts';
export * from '../../src/playground/slack-requests.ts';

export interface ResponseUrlCatcher {
  /** A response_url for one request; everything posted to it lands in `posts`. */
  url(name?: string): string;
  posts: { path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** A local listener standing in for Slack's response_url endpoint (Bolt's respond() posts JSON there). */
export async function startResponseUrlCatcher(): Promise<ResponseUrlCatcher> {
  const posts: ResponseUrlCatcher['posts'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posts.push({ path: req.url ?? '/', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: (name = randomUUID()) => `${base}/commands/${name}`,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
