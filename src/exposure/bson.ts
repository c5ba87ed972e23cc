// The little BSON a MongoDB handshake needs (no MongoDB driver is a dependency, and the probe sends two
// fixed commands). Encodes strings, numbers, booleans, null, documents and arrays; decodes every type a
// reply to `hello` or `listDatabases` carries, and refuses anything it cannot measure.

export type BsonValue = string | number | boolean | null | BsonValue[] | { [key: string]: BsonValue };
export type BsonDocument = { [key: string]: BsonValue };

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

function cstring(text: string): Buffer {
  if (text.includes('\0')) throw new Error('BSON keys cannot contain NUL');
  return Buffer.concat([Buffer.from(text, 'utf8'), Buffer.from([0])]);
}

function element(key: string, value: BsonValue): Buffer {
  const name = cstring(key);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    const len = Buffer.alloc(4);
    len.writeInt32LE(bytes.length + 1);
    return Buffer.concat([Buffer.from([0x02]), name, len, bytes, Buffer.from([0])]);
  }
  if (typeof value === 'number') {
    if (Number.isInteger(value) && value >= INT32_MIN && value <= INT32_MAX) {
      const b = Buffer.alloc(4);
      b.writeInt32LE(value);
      return Buffer.concat([Buffer.from([0x10]), name, b]);
    }
    const b = Buffer.alloc(8);
    b.writeDoubleLE(value);
    return Buffer.concat([Buffer.from([0x01]), name, b]);
  }
  if (typeof value === 'boolean') return Buffer.concat([Buffer.from([0x08]), name, Buffer.from([value ? 1 : 0])]);
  if (value === null) return Buffer.concat([Buffer.from([0x0a]), name]);
  if (Array.isArray(value)) {
    const asDoc = Object.fromEntries(value.map((v, i) => [String(i), v]));
    return Buffer.concat([Buffer.from([0x04]), name, encodeBson(asDoc)]);
  }
  return Buffer.concat([Buffer.from([0x03]), name, encodeBson(value)]);
}

export function encodeBson(doc: BsonDocument): Buffer {
  const body = Buffer.concat(Object.entries(doc).map(([k, v]) => element(k, v)));
  const out = Buffer.alloc(4 + body.length + 1);
  out.writeInt32LE(out.length);
  body.copy(out, 4);
  return out;
}

/** Fixed-size types by tag: double, ObjectId, bool, datetime, null, int32, timestamp, int64, decimal128. */
const FIXED: Record<number, number> = { 1: 8, 7: 12, 8: 1, 9: 8, 10: 0, 16: 4, 17: 8, 18: 8, 19: 16, 127: 0, 255: 0 };

function readCstring(buf: Buffer, at: number): [string, number] {
  const end = buf.indexOf(0, at);
  if (end < 0) throw new Error('BSON: unterminated key');
  return [buf.toString('utf8', at, end), end + 1];
}

export function decodeBson(buf: Buffer, start = 0): Record<string, unknown> {
  if (buf.length < start + 5) throw new Error('BSON: too short');
  const size = buf.readInt32LE(start);
  const end = start + size - 1;
  if (size < 5 || end >= buf.length || buf[end] !== 0) throw new Error('BSON: bad document length');
  const out: Record<string, unknown> = {};
  let at = start + 4;
  while (at < end) {
    const tag = buf[at] ?? 0;
    const [key, next] = readCstring(buf, at + 1);
    at = next;
    let value: unknown;
    if (tag === 0x02 || tag === 0x0d || tag === 0x0e) {
      const len = buf.readInt32LE(at);
      value = buf.toString('utf8', at + 4, at + 4 + len - 1);
      at += 4 + len;
    } else if (tag === 0x03 || tag === 0x04) {
      const doc = decodeBson(buf, at);
      value = tag === 0x04 ? Object.values(doc) : doc;
      at += buf.readInt32LE(at);
    } else if (tag === 0x05) {
      const len = buf.readInt32LE(at);
      value = `<binary ${len} bytes>`;
      at += 4 + 1 + len;
    } else if (tag === 0x0b) {
      const [pattern, afterPattern] = readCstring(buf, at);
      const [flags, afterFlags] = readCstring(buf, afterPattern);
      value = `/${pattern}/${flags}`;
      at = afterFlags;
    } else if (tag in FIXED) {
      if (tag === 0x01) value = buf.readDoubleLE(at);
      else if (tag === 0x08) value = buf[at] === 1;
      else if (tag === 0x10) value = buf.readInt32LE(at);
      else if (tag === 0x12 || tag === 0x09) value = Number(buf.readBigInt64LE(at));
      else value = null;
      at += FIXED[tag] ?? 0;
    } else {
      throw new Error(`BSON: type 0x${tag.toString(16)} is not understood`);
    }
    out[key] = value;
  }
  if (at !== end) throw new Error('BSON: document overruns its length');
  return out;
}
