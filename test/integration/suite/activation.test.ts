import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { Commands, OUTPUT_CHANNEL_NAME } from '@src/shared/ids';
import { activated } from './helpers';

suite('activation', () => {
  test('activates and reports activationMs', async () => {
    const { ext, api } = await activated();
    assert.equal(ext.isActive, true);
    assert.equal(typeof api.activationMs, 'number');
    assert.ok(Number.isFinite(api.activationMs) && api.activationMs >= 0, `activationMs = ${api.activationMs}`);
    console.log(`    activationMs = ${api.activationMs.toFixed(2)}`);
  });

  test('the "Kube Forecast" output channel exists and Show Output reveals it', async () => {
    const { api } = await activated();
    assert.equal(api.log.name, OUTPUT_CHANNEL_NAME);
    assert.deepEqual(await vscode.commands.executeCommand(Commands.showOutput), { ok: true });
  });

  test('the host runs the minimum engine version we support', () => {
    const [major, minor] = vscode.version.split('.').map(Number);
    assert.ok(major === 1 && (minor ?? 0) >= 100, vscode.version);
  });
});
