// The worker map of Synapse 1.8's docs (the same map as synapse-1.8.nginx.conf): /register to the
// one client_reader; everything else, the fallback page included, to main (#6705).
export const routing = {
  rules: [{ path: '^/_matrix/client/(r0|v3|unstable)/register$', pool: 'client_reader' }],
  pools: { client_reader: { balancer: 'round-robin', upstreams: ['reader1'] } },
  defaultUpstream: 'main',
};
