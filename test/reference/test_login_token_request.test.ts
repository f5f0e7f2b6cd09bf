// ref 4.4: tests/rest/client/test_login_token_request.py, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('LoginTokenRequestServletTestCase', () => {
  it.todo('test_require_auth');
  it.todo('test_uia_on');
  it.todo('test_uia_off');
});
