import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { ProbeOptions, ProbeTarget } from './probe.ts';
import { withDeadline } from './probe.ts';

// Read-only HTTP for the HTTP-speaking probes: GET requests, one after another, over ONE kept-alive
// connection to the vetted address, bodies capped (we read metadata, never a dump of data).

export interface HttpAnswer {
  status: number;
  contentType: string;
  body: string;
}

const MAX_BODY = 64 * 1024;

export async function getInOrder(
  target: ProbeTarget,
  paths: readonly string[],
  options: ProbeOptions,
  /** Decides after each answer whether the next request is worth making. */
  next: (answer: HttpAnswer, index: number) => boolean = () => true,
): Promise<HttpAnswer[]> {
  const agent = target.secure
    ? new https.Agent({ keepAlive: true, maxSockets: 1 })
    : new http.Agent({ keepAlive: true, maxSockets: 1 });
  const answers: HttpAnswer[] = [];
  const work = (async () => {
    for (const [i, path] of paths.entries()) {
      const answer = await getOne(target, path, agent);
      answers.push(answer);
      if (!next(answer, i)) break;
    }
    return answers;
  })();
  try {
    return await withDeadline(options.timeoutMs, work, () => agent.destroy());
  } finally {
    agent.destroy();
  }
}

function getOne(target: ProbeTarget, path: string, agent: http.Agent): Promise<HttpAnswer> {
  const defaultPort = target.secure ? 443 : 80;
  const host = target.port === defaultPort ? target.hostname : `${target.hostname}:${target.port}`;
  const request = target.secure ? https.request : http.request;
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.address,
        port: target.port,
        path,
        method: 'GET',
        agent,
        headers: { host, accept: 'application/json, application/xml;q=0.9, */*;q=0.5', 'user-agent': 'vendor-risk' },
        // The TLS check judges certificates; the datastore checks only ask whether data is readable.
        rejectUnauthorized: false,
        ...(target.secure && !isIP(target.hostname) ? { servername: target.hostname } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks).toString('utf8'),
          });
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_BODY) return;
          chunks.push(chunk.subarray(0, MAX_BODY - size));
          size += chunk.length;
        });
        res.on('end', finish);
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
