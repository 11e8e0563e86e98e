'use strict';
/**
 * A tiny fabric-contract-api contract used to test the embedded ledger's engine. Plain
 * CommonJS without decorators: fabric-shim then routes every public method as a transaction
 * with string arguments (and the crash-test child process can load it without a compiler).
 */
// CommonJS on purpose (see above), so require is the import.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { Contract } = require('fabric-contract-api');

const text = (bytes) => Buffer.from(bytes).toString('utf8');

async function collect(iterable, read) {
  const out = [];
  for await (const item of iterable) out.push(read(item));
  return out;
}

class KvContract extends Contract {
  constructor() {
    super('kv');
  }

  async Put(ctx, key, value) {
    await ctx.stub.putState(key, Buffer.from(value));
    ctx.stub.setEvent('put', Buffer.from(JSON.stringify({ key, value })));
    return JSON.stringify({ key, value });
  }

  async Get(ctx, key) {
    return text(await ctx.stub.getState(key));
  }

  async Del(ctx, key) {
    await ctx.stub.deleteState(key);
  }

  async Incr(ctx, key) {
    const current = Number(text(await ctx.stub.getState(key)) || '0');
    await ctx.stub.putState(key, Buffer.from(String(current + 1)));
    ctx.stub.setEvent('incr', Buffer.from(String(current + 1)));
    return String(current + 1);
  }

  async PutAndRead(ctx, key, value) {
    await ctx.stub.putState(key, Buffer.from(value));
    return text(await ctx.stub.getState(key));
  }

  async PutComposite(ctx, type, attributes, value) {
    await ctx.stub.putState(ctx.stub.createCompositeKey(type, JSON.parse(attributes)), Buffer.from(value));
  }

  async Range(ctx, start, end) {
    return JSON.stringify(await collect(ctx.stub.getStateByRange(start, end), (kv) => [kv.key, text(kv.value)]));
  }

  async Partial(ctx, type, attributes) {
    const it = ctx.stub.getStateByPartialCompositeKey(type, JSON.parse(attributes));
    return JSON.stringify(await collect(it, (kv) => ctx.stub.splitCompositeKey(kv.key).attributes));
  }

  async Page(ctx, start, end, pageSize, bookmark) {
    const { iterator, metadata } = await ctx.stub.getStateByRangeWithPagination(start, end, Number(pageSize), bookmark);
    const keys = [];
    for (let r = await iterator.next(); !r.done; r = await iterator.next()) keys.push(r.value.key);
    await iterator.close();
    return JSON.stringify({ keys, ...metadata });
  }

  async PagePartial(ctx, type, attributes, pageSize, bookmark) {
    const res = await ctx.stub.getStateByPartialCompositeKeyWithPagination(type, JSON.parse(attributes), Number(pageSize), bookmark);
    const keys = [];
    for (let r = await res.iterator.next(); !r.done; r = await res.iterator.next()) keys.push(ctx.stub.splitCompositeKey(r.value.key).attributes);
    return JSON.stringify({ keys, ...res.metadata });
  }

  async PutThenPage(ctx, key) {
    await ctx.stub.putState(key, Buffer.from('x'));
    await ctx.stub.getStateByRangeWithPagination('', '', 10, '');
  }

  async CountRange(ctx, start, end, target) {
    const items = await collect(ctx.stub.getStateByRange(start, end), (kv) => kv.key);
    await ctx.stub.putState(target, Buffer.from(String(items.length)));
    return String(items.length);
  }

  async FirstInRange(ctx, start, end, target) {
    const it = await ctx.stub.getStateByRange(start, end);
    const first = await it.next();
    await it.close();
    await ctx.stub.putState(target, Buffer.from(first.done ? '' : first.value.key));
  }

  async History(ctx, key) {
    const it = ctx.stub.getHistoryForKey(key);
    return JSON.stringify(await collect(it, (m) => ({ txId: m.txId, isDelete: m.isDelete, value: text(m.value), seconds: Number(m.timestamp.seconds) })));
  }

  async TwoEvents(ctx) {
    ctx.stub.setEvent('first', Buffer.from('1'));
    ctx.stub.setEvent('second', Buffer.from('2'));
  }

  async Whoami(ctx) {
    const ts = ctx.stub.getTxTimestamp();
    return JSON.stringify({
      mspId: ctx.clientIdentity.getMSPID(),
      id: ctx.clientIdentity.getID(),
      creatorMsp: ctx.stub.getCreator().mspid,
      txId: ctx.stub.getTxID(),
      channel: ctx.stub.getChannelID(),
      seconds: ts.seconds.toNumber(),
      nanos: ts.nanos,
      date: ctx.stub.getDateTimestamp().toISOString(),
      fn: ctx.stub.getFunctionAndParameters().fcn,
    });
  }

  async Fail(ctx, message) {
    throw new Error(message);
  }

  async Deny(ctx, code) {
    const message = `[${code}] not allowed`;
    await ctx.stub.putState(`denial~${ctx.stub.getTxID()}`, Buffer.from(message));
    ctx.stub.setEvent('denied', Buffer.from(message));
    return JSON.stringify({ denied: { code, message, action: 'kv:Deny' } });
  }
}

module.exports = { KvContract, contracts: [KvContract] };
