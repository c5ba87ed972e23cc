import type { Reply } from '../chat/reply.ts';

/**
 * Where a message landed on its platform: the conversation it is in (a Slack channel `C…` or DM `D…`, a Teams
 * conversation id) and its id there (a Slack `ts`, a Teams activity id). A DM target such as `slack:U123` only
 * becomes a conversation when posted, so edits and thread replies must use this, not the target.
 */
export interface PlatformMessage {
  conversation: string;
  id: string;
}

export interface PostRequest {
  /** The outbox row's idempotency key, for senders that stamp it on the message to recognise it later. */
  key?: string;
  /** The outbox target, e.g. `slack:C123` or `slack:U123`. */
  target: string;
  reply: Reply;
  /** Post as a reply in this message's thread; null posts at the top level. */
  threadParent: PlatformMessage | null;
}

export interface UpdateRequest {
  target: string;
  message: PlatformMessage;
  reply: Reply;
}

/**
 * One platform's way out. Implementations pace their own calls (src/delivery/pacing.ts), make exactly one
 * attempt per call (the relay is the only retry layer), and throw the classes in ./errors.ts:
 * RateLimitedError, TransientSendError, PermanentSendError, or MessageGoneError from `update`.
 */
export interface Sender {
  post(request: PostRequest): Promise<PlatformMessage>;
  update(request: UpdateRequest): Promise<PlatformMessage>;
  /**
   * Optional: the message this request already became, if a relay posted it and died before recording
   * it (found by the key stamped on it, among messages since `since`); null if it was never posted.
   */
  findPosted?(request: PostRequest, since: Date): Promise<PlatformMessage | null>;
  /** Optional: replaces the person's Home tab (`target` is the person) with this reply's blocks. */
  publishHome?(request: HomeRequest): Promise<void>;
}

export interface HomeRequest {
  /** The person, e.g. `slack:U123`. */
  target: string;
  reply: Reply;
}
