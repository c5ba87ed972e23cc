import { describe, expect, it } from 'vitest';
import { findPlaybook, loadPlaybooks, PlaybookError, parsePlaybook } from '../../src/core/incidents/playbooks.ts';

// Playbooks are data, validated on load: every shipped scenario is complete, and a broken file names
// its problem instead of failing halfway through an incident.

const valid = `
id: test-case
title: Test
summary: A test scenario.
severity: high
questions: [What happened?]
tasks:
  - { phase: review, title: Review it, role: incident lead }
  - { phase: contain, title: Contain it, role: analyst }
  - { phase: assess, title: Assess it, role: analyst }
  - { phase: notify, title: Notify, role: incident lead }
  - { phase: recover, title: Recover, role: vendor owner }
`;

describe('incident playbooks', () => {
  it('ship the five scenarios, each with tasks in every phase and questions to answer', () => {
    const books = loadPlaybooks();
    expect([...books.keys()]).toEqual([
      'credential-compromise',
      'datastore-exposed',
      'lost-device',
      'ransomware',
      'subprocessor-breach',
    ]);
    for (const book of books.values()) {
      expect(new Set(book.tasks.map((t) => t.phase))).toEqual(
        new Set(['contain', 'assess', 'notify', 'recover', 'review']),
      );
      expect(book.questions.join(' ')).toMatch(/trial data integrity/);
    }
  });

  it('finds a scenario by its id or one word of it', () => {
    expect(findPlaybook('datastore')?.id).toBe('datastore-exposed');
    expect(findPlaybook('Ransomware')?.id).toBe('ransomware');
    expect(findPlaybook('breach')?.id).toBe('subprocessor-breach');
    expect(findPlaybook('meteor')).toBeNull();
  });

  it('orders tasks by phase whatever the file says', () => {
    expect(parsePlaybook('test-case.yaml', valid).tasks.map((t) => t.phase)).toEqual([
      'contain',
      'assess',
      'notify',
      'recover',
      'review',
    ]);
  });

  it('refuses a file with a missing phase, an unknown key or an id that is not its name', () => {
    const noRecover = valid.replace(/.*phase: recover.*\n/, '');
    expect(() => parsePlaybook('test-case.yaml', noRecover)).toThrow('has no task in the recover phase');
    expect(() => parsePlaybook('test-case.yaml', `${valid}\nowner: someone\n`)).toThrow(PlaybookError);
    expect(() => parsePlaybook('other.yaml', valid)).toThrow('id test-case must match the file name');
  });
});
