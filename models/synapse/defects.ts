/**
 * Deliberate defects in Synapse's handlers, planted only by the mutant suite
 * (docs/compare.md#mutants) where a session store cannot plant them: a strategy carries them
 * (`defects`), every process of its deployment has them. No profile and no real row has one.
 * - `validate-ignores-user`: `validate_user_via_ui_auth` (uia §2.5) skips its comparison of the
 *   first completed supported type's result with the requester: a session whose password stage
 *   was completed as user A lets user B's request through.
 */
export type HandlerDefect = 'validate-ignores-user';

/** Whether a process context (SynapseContext's `defects`) carries `defect`. */
export function hasDefect(ctx: { readonly defects?: readonly HandlerDefect[] }, defect: HandlerDefect): boolean {
  return ctx.defects?.includes(defect) === true;
}
