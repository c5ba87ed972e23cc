import { describe, expect, it } from 'vitest';
import { chatSignalId } from '../../commands/signal.ts';
import { joinOptionWords, personToken, readOptions } from '../../commands/support/args.ts';
import { decodePage, encodePage } from '../../commands/support/pagination.ts';
import { evidenceWord, signalKindWord } from '../../commands/support/vocab.ts';
import { tokenize } from '../../src/chat/tokenize.ts';

// How typed words become arguments: options the way people write them, and the short names.

const words = (text: string) => tokenize(text);

describe('command arguments', () => {
  it('keeps a quoted option value whole, and one after a space following the colon', () => {
    expect(readOptions(words('Globex tier:critical reason:"runs our payroll"'), ['tier', 'reason'])).toEqual({
      words: ['Globex'],
      options: new Map([
        ['tier', 'critical'],
        ['reason', 'runs our payroll'],
      ]),
    });
    expect(readOptions(words('Globex reason: "sole processor"'), ['reason']).options.get('reason')).toBe(
      'sole processor',
    );
    expect(readOptions(words('Globex reason:“curly quotes too”'), ['reason']).options.get('reason')).toBe(
      'curly quotes too',
    );
  });

  it('keeps a mention whose printed name has a space, and apostrophes inside names', () => {
    expect(joinOptionWords(words("O'Brien owner:<@teams:29:1|Dana Lee>"), ['owner'])).toEqual([
      "O'Brien",
      'owner:<@teams:29:1|Dana Lee>',
    ]);
    expect(personToken('<@teams:29:1|Dana Lee>')).toEqual({ id: 'teams:29:1', name: 'Dana Lee' });
    expect(personToken('@dana')).toBeNull();
  });

  it('refuses an unclosed quote and an empty option as usage errors', () => {
    expect(() => readOptions(words('Globex reason:"never closed'), ['reason'])).toThrow(
      'A quotation mark is not closed.',
    );
    expect(() => readOptions(['Globex', 'tier:'], ['tier'])).toThrow('`tier:` needs a value.');
  });

  it('knows the short names for evidence and signal kinds', () => {
    expect(['soc2', 'SOC 2 Type II', 'iso', 'pentest', 'baa', 'dpa', 'insurance'].map(evidenceWord)).toEqual([
      'soc2_type2',
      'soc2_type2',
      'iso27001',
      'pentest',
      'hipaa_baa',
      'gdpr_dpa',
      'insurance',
    ]);
    expect(evidenceWord('soc3')).toBeNull();
    expect(['exposed', 'tls', 'rating', 'breach', 'drift', 'config_drift'].map(signalKindWord)).toEqual([
      'exposed_datastore',
      'tls_certificate',
      'rating_change',
      'breach_report',
      'config_drift',
      'config_drift',
    ]);
  });

  it('derives one signal id per vendor, words and day, ignoring case and spacing', () => {
    const base = { kind: 'custom' as const, severity: 'high' as const, summary: 'Open  bucket', rating: null };
    const id = chatSignalId('2026-06-01', 1, base);
    expect(chatSignalId('2026-06-01', 1, { ...base, summary: 'open bucket' })).toBe(id);
    expect(chatSignalId('2026-06-02', 1, base)).not.toBe(id);
    expect(chatSignalId('2026-06-01', 2, base)).not.toBe(id);
  });

  it('round-trips a page query through a button value', () => {
    const value = encodePage({ tier: 'high', owner: 'slack:U1', overdue: undefined }, 2);
    expect(value).toBe('tier=high&owner=slack%3AU1&page=2');
    const { params, page } = decodePage(value);
    expect([params.get('tier'), params.get('owner'), page]).toEqual(['high', 'slack:U1', 2]);
    expect(decodePage('vendor=3').page).toBeNull();
  });
});
