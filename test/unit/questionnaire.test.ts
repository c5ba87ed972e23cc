import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadQuestionnaire, parseQuestionnaire, QuestionnaireError } from '../../src/core/assessments/questionnaire.ts';

const dir = mkdtempSync(join(tmpdir(), 'questionnaire-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('the default control set', () => {
  const q = loadQuestionnaire();

  it('has at least 12 weighted controls, each with a question, a reason and framework references', () => {
    expect(q.controls.length).toBeGreaterThanOrEqual(12);
    for (const c of q.controls) {
      expect(c.weight).toBeGreaterThanOrEqual(1);
      expect(c.weight).toBeLessThanOrEqual(5);
      expect(c.question.length).toBeGreaterThan(20);
      expect(c.why.length).toBeGreaterThan(20);
      expect(c.frameworks.length).toBeGreaterThan(0);
    }
  });

  it('covers the controls the brief names', () => {
    const titles = q.controls.map((c) => c.title.toLowerCase()).join('\n');
    for (const words of [
      'mfa',
      'least privilege',
      'encryption at rest',
      'encryption in transit',
      'unauthenticated datastores',
      'drift',
      'penetration test',
      'breach notification',
      'sub-processor',
      'baa or dpa',
      'audit trails',
      'tested backups',
      'certifications',
    ]) {
      expect(titles).toContain(words);
    }
  });

  it('maps to HIPAA 164.312, GDPR Art. 32 and 28, Part 11 §11.10 and NIS2 Art. 21(2)', () => {
    const refs = new Set(q.controls.flatMap((c) => c.frameworks.map((f) => `${f.framework} ${f.ref}`)));
    for (const ref of [
      'HIPAA 45 CFR 164.312(a)(1)',
      'HIPAA 45 CFR 164.312(a)(2)(iv)',
      'HIPAA 45 CFR 164.312(b)',
      'HIPAA 45 CFR 164.312(c)(1)',
      'HIPAA 45 CFR 164.312(d)',
      'HIPAA 45 CFR 164.312(e)(1)',
      'GDPR Art. 32(1)(a)',
      'GDPR Art. 32(1)(b)',
      'GDPR Art. 32(1)(c)',
      'GDPR Art. 32(1)(d)',
      'GDPR Art. 28(3)',
      '21 CFR Part 11 11.10(a)',
      '21 CFR Part 11 11.10(d)',
      '21 CFR Part 11 11.10(e)',
      '21 CFR Part 11 11.10(g)',
      'NIS2 Art. 21(2)(c)',
      'NIS2 Art. 21(2)(d)',
      'NIS2 Art. 21(2)(h)',
      'NIS2 Art. 21(2)(j)',
    ]) {
      expect(refs).toContain(ref);
    }
  });

  it('is read once and cached', () => {
    expect(loadQuestionnaire()).toBe(q);
  });
});

describe('a broken questionnaire file', () => {
  const valid = {
    id: 'mfa-admin',
    title: 'MFA',
    question: 'Is MFA on?',
    weight: 5,
    why: 'Passwords leak.',
    frameworks: [{ framework: 'HIPAA', ref: '45 CFR 164.312(d)' }],
  };

  it('names the control and field that is wrong', () => {
    const bad = { version: '1', name: 'x', controls: [valid, { ...valid, id: 'backups', weight: 9 }] };
    expect(() => parseQuestionnaire(bad, 'custom.yaml')).toThrow(/custom\.yaml[\s\S]*controls\.1\.weight/);
  });

  it('refuses duplicate ids, unknown frameworks and unknown fields', () => {
    const dup = { version: '1', name: 'x', controls: [valid, valid] };
    expect(() => parseQuestionnaire(dup, 'f')).toThrow(/controls\.1\.id: duplicate id mfa-admin/);
    const framework = { ...valid, frameworks: [{ framework: 'SOC9', ref: 'x' }] };
    expect(() => parseQuestionnaire({ version: '1', name: 'x', controls: [framework] }, 'f')).toThrow(
      /controls\.0\.frameworks\.0\.framework/,
    );
    expect(() => parseQuestionnaire({ version: '1', name: 'x', controls: [{ ...valid, wieght: 3 }] }, 'f')).toThrow(
      /wieght/,
    );
  });

  it('fails loudly on a file that is not YAML or not there', () => {
    expect(() => loadQuestionnaire(file('broken.yaml', 'controls: [\n  - id: a\n    title: ['))).toThrow(
      QuestionnaireError,
    );
    expect(() => loadQuestionnaire(join(dir, 'missing.yaml'))).toThrow(/missing\.yaml/);
  });

  it('loads a valid custom file', () => {
    const path = file('ok.yaml', `version: 7\nname: Small\ncontrols:\n  - ${JSON.stringify(valid)}\n`);
    expect(loadQuestionnaire(path)).toMatchObject({ version: '7', controls: [{ id: 'mfa-admin' }] });
  });
});
