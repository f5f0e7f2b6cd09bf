// ref 4.5: Complement tests/csapi/account_change_password_test.go, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('TestChangePassword', () => {
  it.todo('account_change_password_test.go');
});
