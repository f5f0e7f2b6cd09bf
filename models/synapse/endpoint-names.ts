/** The UIA endpoints of uia §3.1 and the fallback of uia §2.6, by the name profiles mount them
 * (the stages' own servlets, email and SSO callbacks, are mounted by stage-servlets.ts). */
export const ENDPOINT_NAMES = [
  'register',
  'fallback',
  'account-password',
  'deactivate',
  'threepid-add',
  'delete-devices',
  'device-delete',
  'cross-signing',
  'login-token',
] as const;
export type EndpointName = (typeof ENDPOINT_NAMES)[number];

/** Who mounts a servlet (uia §3.1, §3.4): nobody, main only, or main and every worker. */
export type EndpointMount = 'absent' | 'main' | 'main-and-workers';

export type EndpointMounts = Readonly<Record<EndpointName, EndpointMount>>;

/** Whether a process of `role` mounts an endpoint; `mountsEverything` (the sticky and
 * session-hash strategies) puts every servlet the version has on every process. */
export function mounts(mount: EndpointMount, role: 'main' | 'worker', mountsEverything: boolean): boolean {
  switch (mount) {
    case 'absent':
      return false;
    case 'main':
      return role === 'main' || mountsEverything;
    case 'main-and-workers':
      return true;
    default: {
      const unreachable: never = mount;
      throw new Error(`mounts: unknown mount ${String(unreachable)}`);
    }
  }
}
