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

export class UserError extends Error {
  readonly code: UserErrorCode;

  constructor(code: UserErrorCode, message: string) {
    super(message);
    this.name = 'UserError';
    this.code = code;
  }
}

export const notFound = (message: string) => new UserError('not_found', message);
export const forbidden = (message: string) => new UserError('forbidden', message);
export const invalidInput = (message: string) => new UserError('invalid_input', message);
export const invalidState = (message: string) => new UserError('invalid_state', message);
export const conflict = (message: string) => new UserError('conflict', message);

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
