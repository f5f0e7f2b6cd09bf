// ref 4.5: Complement tests/csapi/account_deactivate_test.go, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('TestDeactivateAccount', () => {
  it.todo('account_deactivate_test.go');
});
