import { existsSync } from 'node:fs';

// The browser test needs nothing beyond `npm ci`: @sparticuz/chromium (a devDependency) ships a
// headless Chromium inside its npm package and unpacks it on first use, so every machine runs the
// same browser. CHROMIUM_PATH picks another one, e.g. to watch a run in the browser one works with.

export interface BrowserLaunch {
  executablePath: string;
  args: string[];
}

export async function chromiumLaunch(): Promise<BrowserLaunch> {
  const chosen = process.env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen)) throw new Error(`CHROMIUM_PATH names ${chosen}, which does not exist.`);
    return { executablePath: chosen, args: ['--no-sandbox'] };
  }
  const { default: packaged } = await import('@sparticuz/chromium');
  return { executablePath: await packaged.executablePath(), args: [...packaged.args, '--no-sandbox'] };
}
