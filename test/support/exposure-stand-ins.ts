import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket, type Server as TcpServer } from 'node:net';
import { type BsonDocument, decodeBson } from '../../src/exposure/bson.ts';
import { opMsg } from '../../src/exposure/probes/mongodb.ts';

// Small local stand-ins that answer the way Elasticsearch, Kibana, CouchDB, S3 and MongoDB answer the
// exposure probes' requests, open or protected. Each records what it was asked, so tests can show the
// probes ask for metadata only and never write.

export interface StandIn {
  port: number;
  /** Every request line (HTTP) or command name (MongoDB) received, in order. */
  asked: string[];
  /** TCP connections accepted. */
  connections: number;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const json = (res: ServerResponse, status: number, body: unknown) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};

async function listenHttp(handler: Handler): Promise<StandIn> {
  const asked: string[] = [];
  const server: Server = trackSockets(
    createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      handler(req, res);
    }),
  );
  const standIn = { port: 0, asked, connections: 0, close: () => closeServer(server) };
  server.on('connection', () => {
    standIn.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.port = (server.address() as { port: number }).port;
  return standIn;
}

/** Closes a server after destroying every connection it still holds, so closing never waits on a peer. */
export function closeServer(server: Server | TcpServer): Promise<void> {
  const open = (server as { openSockets?: Set<Socket> }).openSockets;
  for (const socket of open ?? []) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Remembers the server's connections, for closeServer. */
export function trackSockets<T extends Server | TcpServer>(server: T): T {
  const open = new Set<Socket>();
  (server as { openSockets?: Set<Socket> }).openSockets = open;
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
  });
  return server;
}

const unauthorised = (res: ServerResponse) => {
  res.setHeader('www-authenticate', 'Basic realm="security"');
  json(res, 401, { error: 'security_exception', status: 401 });
};

/** `setOpen` switches security on or off, as a vendor fixing (or breaking) the cluster would. */
export async function elasticsearchStandIn(
  open: boolean,
  distribution?: 'opensearch',
): Promise<StandIn & { setOpen(open: boolean): void }> {
  let isOpen = open;
  const standIn = await listenHttp((req, res) => {
    if (!isOpen) return unauthorised(res);
    if (req.url === '/') {
      return json(res, 200, {
        name: 'node-1',
        cluster_name: 'prod',
        version: { number: distribution ? '2.11.0' : '8.11.1', ...(distribution ? { distribution } : {}) },
        tagline: distribution ? 'The OpenSearch Project: https://opensearch.org/' : 'You Know, for Search',
      });
    }
    if (req.url?.startsWith('/_cat/indices')) {
      res.writeHead(200, { 'content-type': 'text/plain' });
      return res.end('patients\ntrial-results\n.security\n');
    }
    json(res, 404, { error: 'not found' });
  });
  return Object.assign(standIn, {
    setOpen: (value: boolean) => {
      isOpen = value;
    },
  });
}

export function kibanaStandIn(open: boolean): Promise<StandIn> {
  return listenHttp((req, res) => {
    if (!open) return unauthorised(res);
    if (req.url === '/api/status') return json(res, 200, { name: 'kibana', version: { number: '8.11.1' } });
    json(res, 404, {});
  });
}

export function couchDbStandIn(open: boolean): Promise<StandIn> {
  return listenHttp((req, res) => {
    if (!open) return json(res, 401, { error: 'unauthorized', reason: 'You are not authorized to access this db.' });
    if (req.url === '/_all_dbs') return json(res, 200, ['_users', 'enrolment', 'visits']);
    json(res, 404, { error: 'not_found' });
  });
}

export function s3StandIn(open: boolean): Promise<StandIn> {
  return listenHttp((_req, res) => {
    res.writeHead(open ? 200 : 403, { 'content-type': 'application/xml' });
    res.end(
      open
        ? '<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
            '<Name>trial-exports</Name><IsTruncated>false</IsTruncated><Contents><Key>a.csv</Key></Contents>' +
            '<Contents><Key>b.csv</Key></Contents></ListBucketResult>'
        : '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>',
    );
  });
}

/** Answers OP_MSG like mongod: `hello` always; `listDatabases` only when open, else Unauthorized. */
export async function mongodbStandIn(open: boolean): Promise<StandIn> {
  const asked: string[] = [];
  const server = trackSockets(
    createTcpServer((socket) => {
      standIn.connections += 1;
      let buffered = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 4 && buffered.length >= buffered.readInt32LE(0)) {
          const message = buffered.subarray(0, buffered.readInt32LE(0));
          buffered = buffered.subarray(message.length);
          const requestId = message.readInt32LE(4);
          const body = decodeBson(message, 21);
          const command = Object.keys(body)[0] ?? '';
          asked.push(command);
          socket.write(opMsg(100 + requestId, reply(command), requestId));
        }
      });
    }),
  );
  const reply = (command: string): BsonDocument => {
    if (command === 'hello') return { isWritablePrimary: true, maxWireVersion: 21, minWireVersion: 0, ok: 1 };
    if (command === 'listDatabases' && open) {
      return {
        databases: [{ name: 'admin' }, { name: 'clinical' }, { name: 'billing' }],
        totalSize: 12345,
        ok: 1,
      };
    }
    return { ok: 0, errmsg: 'command requires authentication', code: 13, codeName: 'Unauthorized' };
  };
  const standIn: StandIn = {
    port: 0,
    asked,
    connections: 0,
    close: () => closeServer(server),
  };
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  standIn.port = (server.address() as { port: number }).port;
  return standIn;
}

/** A port nothing listens on: bound, read, released. */
export async function closedPort(): Promise<number> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await closeServer(server);
  return port;
}
