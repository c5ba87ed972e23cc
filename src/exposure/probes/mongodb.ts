import { Socket } from 'node:net';
import { type BsonDocument, decodeBson, encodeBson } from '../bson.ts';
import { networkError, notReached, type Probe, someNames, withDeadline } from '../probe.ts';

// MongoDB, spoken at the wire-protocol level (OP_MSG): `hello` (which every server answers, with or
// without authentication), then `listDatabases` with names only. A server with authentication enabled
// refuses the second with Unauthorized (code 13); one without lists its databases to anyone.

const ASKED = 'hello then listDatabases (names only), no credentials';
const OP_MSG = 2013;

export function opMsg(requestId: number, body: BsonDocument, responseTo = 0): Buffer {
  const doc = encodeBson(body);
  const header = Buffer.alloc(21);
  header.writeInt32LE(16 + 4 + 1 + doc.length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(OP_MSG, 12);
  header.writeUInt32LE(0, 16);
  header.writeUInt8(0, 20);
  return Buffer.concat([header, doc]);
}

/** The body document (section kind 0) of one whole OP_MSG. */
export function opMsgBody(message: Buffer): Record<string, unknown> {
  if (message.readInt32LE(12) !== OP_MSG) throw new Error('not an OP_MSG reply');
  let at = 20;
  while (at < message.length) {
    const kind = message[at];
    if (kind === 0) return decodeBson(message, at + 1);
    if (kind !== 1) break;
    at += 1 + message.readInt32LE(at + 1);
  }
  throw new Error('OP_MSG reply without a body');
}

const MAX_MESSAGE = 1024 * 1024;

/** One socket, whole messages: sends a request and resolves with the next complete reply. */
function conversation(socket: Socket) {
  let buffered = Buffer.alloc(0);
  let waiting: { resolve: (m: Buffer) => void; reject: (e: Error) => void } | null = null;
  let failure: Error | null = null;
  const deliver = () => {
    if (!waiting || buffered.length < 4) return;
    const length = buffered.readInt32LE(0);
    if (length < 21 || length > MAX_MESSAGE) {
      waiting.reject(new Error(`reply length ${length} is not a MongoDB message`));
      waiting = null;
      return;
    }
    if (buffered.length < length) return;
    const message = buffered.subarray(0, length);
    buffered = buffered.subarray(length);
    const w = waiting;
    waiting = null;
    w.resolve(message);
  };
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    deliver();
  });
  const fail = (error: Error) => {
    failure = error;
    waiting?.reject(error);
    waiting = null;
  };
  socket.on('error', fail);
  socket.on('close', () => fail(new Error('connection closed')));
  return (request: Buffer) =>
    new Promise<Buffer>((resolve, reject) => {
      if (failure) return reject(failure);
      waiting = { resolve, reject };
      socket.write(request);
      deliver();
    });
}

function connect(socket: Socket, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.connect(port, host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
}

export const probeMongodb: Probe = async (target, options) => {
  const socket = new Socket();
  const base = { check: 'mongodb' as const, asked: ASKED, reached: true, facts: {} };
  try {
    return await withDeadline(
      options.timeoutMs,
      (async () => {
        try {
          await connect(socket, target.address, target.port);
        } catch (error) {
          return notReached('mongodb', ASKED, error);
        }
        const ask = conversation(socket);
        let hello: Record<string, unknown>;
        try {
          hello = opMsgBody(await ask(opMsg(1, { hello: 1, $db: 'admin' })));
        } catch (error) {
          return {
            ...base,
            access: 'unknown' as const,
            answered: `hello not answered as MongoDB (${networkError(error)})`,
          };
        }
        if (hello.ok !== 1) return { ...base, access: 'unknown' as const, answered: 'hello refused' };
        const wire = typeof hello.maxWireVersion === 'number' ? hello.maxWireVersion : 0;
        const list = opMsgBody(await ask(opMsg(2, { listDatabases: 1, nameOnly: true, $db: 'admin' })));
        if (list.ok === 1 && Array.isArray(list.databases)) {
          const names = list.databases
            .map((d) => (typeof d === 'object' && d && 'name' in d ? String((d as { name: unknown }).name) : ''))
            .filter((n) => n && !['admin', 'local', 'config'].includes(n));
          return {
            ...base,
            access: 'open' as const,
            facts: {
              product: 'MongoDB',
              wireVersion: wire,
              databases: names.length,
              ...(names.length ? { databaseNames: someNames(names) } : {}),
            },
            answered: `listDatabases answered without credentials: ${names.length} database${names.length === 1 ? '' : 's'}`,
          };
        }
        const code = typeof list.code === 'number' ? list.code : null;
        const codeName = typeof list.codeName === 'string' ? list.codeName : '';
        if (code === 13 || code === 18 || /Unauthorized|AuthenticationFailed/.test(codeName)) {
          return {
            ...base,
            access: 'protected' as const,
            answered: `listDatabases refused: ${codeName || `code ${code}`}`,
          };
        }
        return {
          ...base,
          access: 'unknown' as const,
          answered: `listDatabases answered ${codeName || `code ${code ?? '?'}`}`,
        };
      })(),
      () => socket.destroy(),
    );
  } catch (error) {
    return notReached('mongodb', ASKED, error);
  } finally {
    socket.destroy();
  }
};
