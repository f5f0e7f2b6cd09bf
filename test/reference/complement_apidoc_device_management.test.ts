// ref 4.5: Complement tests/csapi/apidoc_device_management_test.go, profile `head`, main alone.
import { describe, it } from 'vitest';

describe('TestDeviceManagement', () => {
  it.todo('DELETE /device/{deviceId}');
  it.todo('…requires UI auth user to match device owner');
});
