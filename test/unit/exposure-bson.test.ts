import { describe, expect, it } from 'vitest';
import { decodeBson, encodeBson } from '../../src/exposure/bson.ts';
import { opMsg, opMsgBody } from '../../src/exposure/probes/mongodb.ts';

// The MongoDB probe's BSON, checked against bytes from the BSON specification's examples.

describe('BSON for the MongoDB probe', () => {
  it('encodes {"hello": "world"} exactly as the specification shows', () => {
    expect(encodeBson({ hello: 'world' }).toString('hex')).toBe('160000000268656c6c6f0006000000776f726c640000');
  });

  it('encodes small integers as int32 and others as doubles', () => {
    expect(encodeBson({ a: 1 }).toString('hex')).toBe('0c0000001061000100000000');
    expect(decodeBson(encodeBson({ a: 1.5, b: 2 ** 40 }))).toEqual({ a: 1.5, b: 2 ** 40 });
  });

  it('round-trips nested documents, arrays, booleans and null', () => {
    const doc = { listDatabases: 1, nameOnly: true, filter: { name: 'x' }, names: ['a', 'b'], none: null };
    expect(decodeBson(encodeBson(doc))).toEqual(doc);
  });

  it('skips types it only needs to measure: ObjectId, datetime, int64, binary', () => {
    const oid = Buffer.from(`07${Buffer.from('_id\0').toString('hex')}${'00'.repeat(12)}`, 'hex');
    const int64 = Buffer.concat([Buffer.from([0x12]), Buffer.from('n\0'), Buffer.from('0500000000000000', 'hex')]);
    const body = Buffer.concat([oid, int64]);
    const doc = Buffer.alloc(4 + body.length + 1);
    doc.writeInt32LE(doc.length);
    body.copy(doc, 4);
    expect(decodeBson(doc)).toEqual({ _id: null, n: 5 });
  });

  it('refuses a document whose length lies, rather than reading past it', () => {
    const bad = encodeBson({ a: 'b' });
    bad.writeInt32LE(bad.length + 10);
    expect(() => decodeBson(bad)).toThrow(/length/);
    const unknown = Buffer.from('0a000000' + '06' + '6100' + '0000', 'hex');
    unknown.writeInt32LE(unknown.length);
    expect(() => decodeBson(unknown)).toThrow();
  });

  it('frames an OP_MSG and reads its body back', () => {
    const message = opMsg(7, { hello: 1, $db: 'admin' });
    expect(message.readInt32LE(0)).toBe(message.length);
    expect(message.readInt32LE(12)).toBe(2013);
    expect(opMsgBody(message)).toEqual({ hello: 1, $db: 'admin' });
  });
});
