// The worker maps of models/topologies/synapse-workers.ts: where each UIA path goes (uia §3.2, §3.3).
import { describe, expect, it } from 'vitest';
import {
  ACCOUNT_PASSWORD_PATH,
  DEACTIVATE_PATH,
  DELETE_DEVICES_PATH,
  DEVICE_SIGNING_UPLOAD_PATH,
  devicePath,
  fallbackPath,
  LOGIN_GET_TOKEN_PATH,
  OIDC_CALLBACK_PATH,
  REGISTER_PATH,
  THREEPID_ADD_PATH,
} from '../../../models/matrix/protocol.js';
import { ROUTING_1_12_PINNED, ROUTING_1_8, ROUTING_SHARDED, ROUTING_STICKY_IP } from '../../../models/topologies/synapse-workers.js';
import type { RoutingMap } from '../../../src/router.js';

/** The upstreams a path can reach: the first matching rule's pool, else the default. */
function upstreamsOf(map: RoutingMap, path: string): readonly string[] {
  const rule = map.rules.find((r) => new RegExp(r.path).test(path));
  return rule === undefined ? [map.defaultUpstream] : (map.pools[rule.pool]?.upstreams ?? []);
}

const ACCOUNT_PATHS = [ACCOUNT_PASSWORD_PATH, DEACTIVATE_PATH, THREEPID_ADD_PATH, DELETE_DEVICES_PATH, devicePath('DEVA1'), DEVICE_SIGNING_UPLOAD_PATH, LOGIN_GET_TOKEN_PATH];

describe('worker maps', () => {
  it('uia §3.2 (v1.8 docs) and #7048 (v1.12): only /register (and at 1.12 the fallback) leave main', () => {
    for (const path of ACCOUNT_PATHS) {
      expect(upstreamsOf(ROUTING_1_8, path)).toEqual(['main']);
      expect(upstreamsOf(ROUTING_1_12_PINNED, path)).toEqual(['main']);
    }
    expect(upstreamsOf(ROUTING_1_8, REGISTER_PATH)).toEqual(['reader1']);
    expect(upstreamsOf(ROUTING_1_12_PINNED, fallbackPath('m.login.terms'))).toEqual(['reader1']);
  });

  it("uia §3.2 (HEAD's generic_worker list): register, deactivate, delete_devices, devices, device_signing/upload round-robin over the workers; password, 3PID add, get_token and the fallback to main", () => {
    for (const path of [REGISTER_PATH, DEACTIVATE_PATH, DELETE_DEVICES_PATH, devicePath('DEVA1'), DEVICE_SIGNING_UPLOAD_PATH]) {
      expect(upstreamsOf(ROUTING_SHARDED, path)).toEqual(['reader1', 'reader2']);
    }
    for (const path of [ACCOUNT_PASSWORD_PATH, THREEPID_ADD_PATH, LOGIN_GET_TOKEN_PATH, fallbackPath('m.login.terms')]) {
      expect(upstreamsOf(ROUTING_SHARDED, path)).toEqual(['main']);
    }
  });

  it('sticky maps take every UIA path and the SSO callback to the pool over every process', () => {
    for (const path of [...ACCOUNT_PATHS, REGISTER_PATH, fallbackPath('m.login.sso'), OIDC_CALLBACK_PATH]) {
      expect(upstreamsOf(ROUTING_STICKY_IP, path)).toEqual(['main', 'reader1', 'reader2']);
    }
  });
});
