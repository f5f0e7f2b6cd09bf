// ref 4.4: tests/rest/client/test_account.py's UIA tests, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('PasswordResetTestCase / ThreepidEmailRestTestCase', () => {
  it.todo('test_basic_password_reset');
  it.todo('test_cant_add_email_without_clicking_link');
});
