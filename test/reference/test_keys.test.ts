// ref 4.4: tests/rest/client/test_keys.py, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('KeyQueryTestCase', () => {
  it.todo('test_device_signing_with_uia');
});
