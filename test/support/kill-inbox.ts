import { loadConfig } from '../../src/config.ts';
import { createLogger } from '../../src/log.ts';
import { startBot } from '../../src/main.ts';
import { freeze, report, watchStatements } from './kill-hooks.ts';

// Child of test/e2e/kill-inbox.test.ts: the bot composed by main from its environment, as `npm start`
// runs it. With FREEZE_ON_ACKNOWLEDGE=1 it parks inside the transaction of an acknowledgement, at the
// update of the finding, after Slack was answered, until the parent kills it with SIGKILL.

if (process.env.FREEZE_ON_ACKNOWLEDGE === '1') {
  watchStatements((sql) => {
    if (sql.startsWith('update "findings" set "acknowledged_by"')) {
      report('frozen');
      freeze();
    }
  });
}

const config = loadConfig();
const bot = await startBot(config, { host: '127.0.0.1', log: createLogger(config.logLevel) });
report(`ready ${bot.url}`);
