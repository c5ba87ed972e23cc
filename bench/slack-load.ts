import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { slashCommand } from '../src/playground/slack-requests.ts';
import { summarise } from './measure.ts';

// The load generator for bench/slack-http.ts, in its own process as Slack is on its own machine: it signs
// and sends `/vendor posture` requests with N in flight and times each until its reply reaches the
// response_url it serves. Reads its orders as JSON on stdin, writes its result as JSON on stdout.

interface Orders {
  target: string;
  secret: string;
  names: string[];
  users: string[];
  requests: number;
  inFlight: number;
}

const orders = JSON.parse(await new Response(process.stdin as unknown as ReadableStream).text()) as Orders;
const waiting = new Map<string, () => void>();
const catcher = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    waiting.get(req.url ?? '')?.();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
await new Promise<void>((resolve) => catcher.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(catcher.address() as AddressInfo).port}`;

const samples: number[] = [];
let failures = 0;
let next = 0;
async function worker(): Promise<void> {
  while (next < orders.requests) {
    const i = next++;
    const path = `/r/${i}`;
    const arrived = new Promise<void>((resolve) => waiting.set(path, resolve));
    const request = slashCommand(
      {
        text: `posture "${orders.names[i % orders.names.length]}"`,
        userId: orders.users[i % orders.users.length] ?? 'U1',
        channelId: 'CBENCH',
        responseUrl: `${base}${path}`,
      },
      { secret: orders.secret },
    );
    const start = process.hrtime.bigint();
    const res = await fetch(orders.target, { method: 'POST', headers: request.headers, body: request.body });
    await res.arrayBuffer();
    if (res.status === 200) await arrived;
    else failures++;
    waiting.delete(path);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
}
const started = process.hrtime.bigint();
await Promise.all(Array.from({ length: orders.inFlight }, worker));
const seconds = Number(process.hrtime.bigint() - started) / 1e9;
catcher.close();
process.stdout.write(JSON.stringify({ latency: summarise(samples), perSecond: orders.requests / seconds, failures }));
