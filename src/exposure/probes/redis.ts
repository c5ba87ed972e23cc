import { networkError, notReached, type Probe, withDeadline } from '../probe.ts';

// Redis: PING without AUTH. PONG means anyone can read and write every key; NOAUTH means a password
// is required. Only INFO's server version and keyspace counts are kept. ioredis is told not to
// reconnect, queue or retry, so this is one connection that ends with the probe. ioredis is imported by the
// probe itself, so a bot that never checks a Redis host never loads it.

const ASKED = 'PING then INFO server, INFO keyspace (no AUTH)';

export const probeRedis: Probe = async (target, options) => {
  const { Redis } = await import('ioredis');
  const redis = new Redis({
    host: target.address,
    port: target.port,
    lazyConnect: true,
    enableReadyCheck: false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: options.timeoutMs,
    commandTimeout: options.timeoutMs,
  });
  // Connection errors surface through the awaited calls below; the event would otherwise be unhandled.
  // ioredis reports why a connection failed only through this event; the awaited call just says closed.
  let lastError: unknown = null;
  redis.on('error', (error: unknown) => {
    lastError = error;
  });
  const base = { check: 'redis' as const, asked: ASKED, reached: true, facts: {} };
  try {
    await withDeadline(options.timeoutMs, redis.connect(), () => redis.disconnect());
  } catch (error) {
    redis.disconnect();
    return notReached('redis', ASKED, lastError ?? error);
  }
  try {
    return await withDeadline(
      options.timeoutMs,
      (async () => {
        try {
          await redis.ping();
        } catch (error) {
          const text = networkError(error);
          if (/NOAUTH|WRONGPASS|NOPERM|Authentication required/i.test(text)) {
            return { ...base, access: 'protected' as const, answered: 'NOAUTH: a password is required' };
          }
          return { ...base, access: 'unknown' as const, answered: `PING refused (${text})` };
        }
        const server = await redis.info('server');
        const keyspace = await redis.info('keyspace');
        const version = /redis_version:([^\r\n]+)/.exec(server)?.[1]?.trim() ?? 'unknown';
        const counts = [...keyspace.matchAll(/^db\d+:keys=(\d+)/gm)].map((m) => Number(m[1]));
        const keys = counts.reduce((a, b) => a + b, 0);
        return {
          ...base,
          access: 'open' as const,
          facts: { product: 'Redis', version, databases: counts.length, keys },
          answered: `PONG without AUTH: Redis ${version}, ${keys} key${keys === 1 ? '' : 's'} in ${counts.length} database${counts.length === 1 ? '' : 's'}`,
        };
      })(),
      () => redis.disconnect(),
    );
  } catch (error) {
    return notReached('redis', ASKED, error);
  } finally {
    redis.disconnect();
  }
};
