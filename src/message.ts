import type { HttpRequest, HttpResponse } from './http.js';

/**
 * Everything the scheduler queues is a Message. All kinds share one set of fields (made by
 * `makeMessage` only) so V8 keeps one hidden class on the hot path.
 */
interface MessageBase {
  readonly id: number;
  readonly from: number;
  readonly to: number;
  /** The client-side actor whose request caused this message (its tape decides its choices). */
  readonly owner: number;
  /** The message this one answers (a response, a result, a reset), or -1. */
  readonly replyTo: number;
  /** The incarnation of `to` this is meant for; -1 for any. A restarted process ignores the rest. */
  readonly toIncarnation: number;
  dueMs: number;
  seq: number;
  /** Set when a timer is cancelled while queued; the scheduler skips it. */
  cancelled: boolean;
  /** The next event in the scheduler's slot (an intrusive list: no array per slot); null when
   * last or not queued in the wheel. */
  nextInSlot: Message | null;
}

export interface RequestMessage extends MessageBase { readonly kind: 'request'; readonly payload: HttpRequest }
export interface ResponseMessage extends MessageBase { readonly kind: 'response'; readonly payload: HttpResponse }
/** A backend command (SQL transaction, Redis command, RPC) for a service node. */
export interface CommandMessage extends MessageBase { readonly kind: 'command'; readonly payload: unknown }
export interface ResultMessage extends MessageBase { readonly kind: 'result'; readonly payload: unknown }
/** Connection refused or reset: the answer to a request or command whose target is down. */
export interface ResetMessage extends MessageBase { readonly kind: 'reset'; readonly payload: null }
/** A timer a node set for itself; the payload says what for. */
export interface TimerMessage extends MessageBase { readonly kind: 'timer'; readonly payload: unknown }
/** A one-way message nobody waits for (a replication stream's invalidation). */
export interface NotifyMessage extends MessageBase { readonly kind: 'notify'; readonly payload: unknown }

export type Message = RequestMessage | ResponseMessage | CommandMessage | ResultMessage | ResetMessage | TimerMessage | NotifyMessage;
export type MessageKind = Message['kind'];

export const MESSAGE_KIND_CODES: Readonly<Record<MessageKind, number>> = {
  request: 1,
  response: 2,
  command: 3,
  result: 4,
  reset: 5,
  timer: 6,
  notify: 7,
};

export type PayloadOf<K extends MessageKind> = Extract<Message, { kind: K }>['payload'];

export function makeMessage<K extends MessageKind>(
  kind: K,
  id: number,
  from: number,
  to: number,
  owner: number,
  replyTo: number,
  toIncarnation: number,
  payload: PayloadOf<K>,
): Extract<Message, { kind: K }> {
  return { kind, id, from, to, owner, replyTo, toIncarnation, dueMs: 0, seq: 0, cancelled: false, nextInSlot: null, payload } as unknown as Extract<
    Message,
    { kind: K }
  >;
}
