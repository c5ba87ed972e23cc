import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startBot } from '../../src/main.ts';

// One bot replica, composed by main from its environment exactly as `npm start` would, on loopback.
// It prints `ready <url>` once it listens; the replica test kills it with SIGKILL or SIGTERM.

const config = loadConfig();
const bot = await startBot(config, { host: '127.0.0.1', log: createLogger(config.logLevel) });
process.stdout.write(`ready ${bot.url}\n`);
process.once('SIGTERM', () => void bot.stop().then(() => process.exit(0)));
