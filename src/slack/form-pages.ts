import { randomUUID } from 'node:crypto';
import type { FormValues } from '../chat/command.ts';
import type { Form } from '../chat/reply.ts';
import type { Clock } from '../core/common/clock.ts';
import { formPages } from './forms.ts';

// A modal shows one page at a time and Slack returns only that page's values, while the whole
// form and the earlier answers are too big for private_metadata (3000 characters). So a form of
// several pages is remembered here, in memory, until it is submitted, closed or a day old. After
// a restart the person is asked to start again; single-page forms (nearly all) never come here.

const KEEP_MS = 24 * 60 * 60 * 1000;

export interface PendingForm {
  form: Form;
  /** Answers from the pages already submitted. */
  values: FormValues;
  channel: string | null;
}

export class PendingForms {
  #clock: Clock;
  #forms = new Map<string, PendingForm & { until: number }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Remembers a form that needs more than one page and returns its key; null for a single page. */
  start(form: Form, channel: string | null): string | null {
    this.#forget();
    if (formPages(form).length < 2) return null;
    const key = randomUUID();
    this.#forms.set(key, { form, values: {}, channel, until: this.#clock.now().getTime() + KEEP_MS });
    return key;
  }

  get(key: string | null): PendingForm | undefined {
    this.#forget();
    return key ? this.#forms.get(key) : undefined;
  }

  /** Adds one page's answers; returns everything answered so far. */
  add(key: string, values: FormValues): FormValues {
    const pending = this.#forms.get(key);
    if (!pending) return values;
    pending.values = { ...pending.values, ...values };
    return pending.values;
  }

  finish(key: string | null): void {
    if (key) this.#forms.delete(key);
  }

  #forget(): void {
    const now = this.#clock.now().getTime();
    for (const [key, pending] of this.#forms) if (pending.until < now) this.#forms.delete(key);
  }
}
