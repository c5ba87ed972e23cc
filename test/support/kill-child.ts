import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Starts a kill-test child under tsx and follows its stdout line by line.

export interface KillChild {
  lines: string[];
  /** Resolves with the first line (already seen or still to come) matching `pattern`. */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** SIGKILL, then wait for the process to be gone. */
  kill(): Promise<NodeJS.Signals | null>;
}

export function startKillChild(script: string, args: string[], env: Record<string, string>): KillChild {
  const path = fileURLToPath(new URL(`./${script}`, import.meta.url));
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', path, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  let stderr = '';
  let buffered = '';
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const line of parts) {
      lines.push(line);
      for (const w of [...waiters]) {
        const m = line.match(w.pattern);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  return {
    lines,
    waitFor: (pattern) =>
      new Promise((resolve, reject) => {
        const seen = lines.map((l) => l.match(pattern)).find(Boolean);
        if (seen) return resolve(seen);
        waiters.push({ pattern, resolve });
        void exited.then(() =>
          reject(new Error(`child exited before ${pattern}; stdout:\n${lines.join('\n')}\nstderr:\n${stderr}`)),
        );
      }),
    kill: async () => {
      child.kill('SIGKILL');
      return exited;
    },
  };
}
