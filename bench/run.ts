import { mkdirSync, writeFileSync } from 'node:fs';
import type { BenchSection } from './measure.ts';

// `npm run bench`: every benchmark in order, printed as tables and written to bench/results/latest.md.
// Pass names to run a subset: `npm run bench -- store delivery`, written to bench/results/store-delivery.md so
// a partial run never replaces the full record.

// Each suite is a module exporting a function that returns its sections; loaded only when asked for.
const SUITES: Record<string, { module: string; run: string }> = {
  store: { module: './store.ts', run: 'benchStore' },
  sweep: { module: './sweep.ts', run: 'benchSweep' },
  slack: { module: './slack-http.ts', run: 'benchSlackHttp' },
  delivery: { module: './delivery.ts', run: 'benchDelivery' },
  startup: { module: './startup.ts', run: 'benchStartup' },
  audit: { module: './audit.ts', run: 'benchAudit' },
  replicas: { module: './replicas.ts', run: 'benchReplicas' },
};

async function runSuite(name: string): Promise<BenchSection[]> {
  const suite = SUITES[name];
  if (!suite) return [];
  const mod = (await import(suite.module)) as Record<string, () => Promise<BenchSection | BenchSection[]>>;
  const run = mod[suite.run];
  if (!run) throw new Error(`${suite.module} does not export ${suite.run}`);
  const result = await run();
  return Array.isArray(result) ? result : [result];
}

function table(section: BenchSection): string {
  const columns = [...new Set(section.rows.flatMap((r) => Object.keys(r)))];
  const lines = [
    `## ${section.title}`,
    '',
    `| ${columns.join(' | ')} |`,
    `| ${columns.map(() => '---').join(' | ')} |`,
    ...section.rows.map((r) => `| ${columns.map((c) => String(r[c] ?? '')).join(' | ')} |`),
  ];
  if (section.notes?.length) lines.push('', ...section.notes.map((n) => `- ${n}`));
  return `${lines.join('\n')}\n`;
}

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
// `replicas` needs a PostgreSQL and a Redis server, so it runs only when asked for by name.
const names = wanted.length ? wanted : Object.keys(SUITES).filter((n) => n !== 'replicas');
const unknown = names.filter((n) => !SUITES[n]);
if (unknown.length) {
  process.stderr.write(`unknown bench ${unknown.join(', ')}; choose from ${Object.keys(SUITES).join(', ')}\n`);
  process.exit(2);
}

const out: string[] = [
  '# Benchmark results',
  '',
  `Node ${process.version}, ${new Date().toISOString()}. Ratios compare against a floor measured in the same run.`,
  '',
];
for (const name of names) {
  process.stdout.write(`running ${name}...\n`);
  for (const section of await runSuite(name)) {
    const text = table(section);
    process.stdout.write(`\n${text}\n`);
    out.push(text);
  }
}
mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
const file = wanted.length ? `${names.join('-')}.md` : 'latest.md';
writeFileSync(new URL(`./results/${file}`, import.meta.url), out.join('\n'));
process.stdout.write(`written to bench/results/${file}\n`);
