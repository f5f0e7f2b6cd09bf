// ref 4.6: SyTest tests/10apidoc/13ui-auth.pl, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('13ui-auth.pl', () => {
  it.todo('Interactive authentication types include SSO');
  it.todo('Can perform interactive authentication with SSO');
  it.todo('The user must be consistent through an interactive authentication session with SSO');
  it.todo('The operation must be consistent through an interactive authentication session');
});
