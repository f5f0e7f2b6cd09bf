/** What to print of a thrown value: an Error's message, anything else as a string. Stores,
 * routing files and scope files are the user's, so what they throw need not be an Error. */
export function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

/** Its stack, for a report or a thread's answer: an Error's, else none. */
export function stackOf(thrown: unknown): string {
  return thrown instanceof Error ? (thrown.stack ?? '') : '';
}
