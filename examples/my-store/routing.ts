// routing.ts: registration and its fallback page pinned to one worker that mounts everything
export const routing = {
  rules: [
    { path: '^/_matrix/client/(r0|v3)/register$', pool: 'registration' },
    { path: '^/_matrix/client/(r0|v3)/auth/[^/]+/fallback/web$', pool: 'registration' },
  ],
  pools: { registration: { balancer: 'round-robin', upstreams: ['reader1'] } },
  defaultUpstream: 'main',
  mounts: 'everything',
} as const;
