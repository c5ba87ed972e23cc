/**
 * The one error type that a user can cause. Its message is safe to show in chat; anything else that
 * reaches the dispatcher is ours, gets logged with context, and the user sees a short apology.
 */
export type UserErrorCode =
  | 'bad_arguments'
  | 'not_found'
  | 'forbidden'
  | 'conflict'
  | 'invalid_state'
  | 'invalid_input';

/** Names the person may have meant instead of what they typed: chat offers each as a button. */
export interface Choices {
  /** What was typed, as it appears in the person's text. */
  typed: string;
  /** The names to offer, best first. */
  names: readonly string[];
}

export class UserError extends Error {
  readonly code: UserErrorCode;
  readonly choices: Choices | undefined;

  constructor(code: UserErrorCode, message: string, choices?: Choices) {
    super(message);
    this.name = 'UserError';
    this.code = code;
    this.choices = choices;
  }
}

export const notFound = (message: string, choices?: Choices) => new UserError('not_found', message, choices);
export const forbidden = (message: string) => new UserError('forbidden', message);
export const invalidInput = (message: string) => new UserError('invalid_input', message);
export const invalidState = (message: string) => new UserError('invalid_state', message);
export const conflict = (message: string) => new UserError('conflict', message);

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
