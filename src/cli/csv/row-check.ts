import { isUserError } from '../../core/common/errors.ts';

/**
 * Collects every problem in one row instead of stopping at the first, so a person fixing a sheet sees
 * all of it in one go. Each check runs a core parser; its user-facing message becomes the reason.
 */
export class RowCheck {
  readonly problems: string[] = [];

  /** The parsed value, or undefined after recording why the cell was refused. */
  cell<T>(parse: () => T): T | undefined {
    try {
      return parse();
    } catch (error) {
      if (!isUserError(error)) throw error;
      this.problems.push(error.message.replace(/ Nothing was (added|changed)\.$/, '').replace(/\.$/, ''));
      return undefined;
    }
  }

  fail(reason: string): void {
    this.problems.push(reason);
  }

  get ok(): boolean {
    return this.problems.length === 0;
  }
}

/** Present in the file: a value (maybe empty). Absent from the header: undefined, meaning "leave alone". */
export function columnValue(values: Record<string, string>, column: string): string | undefined {
  return Object.hasOwn(values, column) ? (values[column] ?? '') : undefined;
}
