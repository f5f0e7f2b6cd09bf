// ref 4.5: Complement tests/msc3967/msc3967_test.go, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('TestMSC3967', () => {
  it.todo('msc3967_test.go');
});
