// The settings editor in a real browser against the real service: a live setting changed with its
// widget and saved reaches config.yaml and GET /admin/api/settings; an invalid value is refused
// by the browser's own validation (shared/) with the message next to the field, and Save stays
// disabled; a save that meets a 409 (someone else saved) keeps the edit, and "Reload, keep my edits"
// re-applies it on the new version. The configuration check above the editor keeps working.
// Screenshots to the artifacts dir.
// Run by ctest (browser.admin_settings) with CCC_BINARY, CCC_ADMIN_DIR and CCC_ARTIFACTS_DIR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { clickWidget, hookNow, pressKey, waitForHook } from './admin_page.mjs';
import { ServiceProcess, artifactsDir, launchChromium } from './service.mjs';

const CONFIG = `
server:
  host: 127.0.0.1
  port: \${PORT}
endpoints:
  - name: primary
    url: https://api.anthropic.com
    endpoint_type: anthropic
    auth_type: api_key
    auth_value: sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789
load_balancing:
  enabled: true
  sticky_sessions: true
`;

describe('admin settings', () => {
	let service;
	let browser;

	before(async () => {
		service = new ServiceProcess(CONFIG);
		await service.start();
		browser = await launchChromium();
	});

	after(async () => {
		if (browser)
			await browser.close();
		if (service)
			await service.stop();
	});

	async function openSettings() {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', colorScheme: 'dark' });
		const page = await context.newPage();
		await page.goto(`${service.baseUrl}/admin/`);
		await waitForHook(page, 3, 'state.config_state === "loaded"');
		await clickWidget(page, 'nav.settings');
		const hook = await waitForHook(page, 0, 'state.panel === "settings" && state.settings.state === "loaded"'
			+ ' && window.__adminTest.widgets["settings.section.load_balancing"] !== undefined');
		return { context, page, hook };
	}

	test('a live setting saved from its widget reaches config.yaml and the API', async () => {
		const { context, page } = await openSettings();
		try {
			let hook = await hookNow(page);
			assert.equal(hook.state.settings.kinds['load_balancing.sticky_sessions'], 'bool');
			assert.equal(hook.state.settings.kinds['logging.level'], 'enum');
			assert.equal(hook.state.settings.kinds['timeouts.connect'], 'duration');
			assert.ok(hook.widgets['settings.summary'], 'the configuration check is gone');
			const version = hook.state.settings.version;

			hook = await clickWidget(page, 'settings.section.load_balancing');
			hook = await waitForHook(page, hook.frame, 'window.__adminTest.widgets["settings.field.load_balancing.sticky_sessions"] !== undefined');
			hook = await clickWidget(page, 'settings.field.load_balancing.sticky_sessions');
			hook = await waitForHook(page, hook.frame, 'state.settings.changes["load_balancing.sticky_sessions"] === false');
			assert.equal(hook.state.settings.validation_errors, 0);
			hook = await clickWidget(page, 'settings.save');
			hook = await waitForHook(page, hook.frame, 'state.settings.save_state === "loaded"');
			assert.notEqual(hook.state.settings.version, version);
			assert.deepEqual(hook.state.settings.changes, {});
			assert.equal(hook.state.settings.restart_required, false);

			const yaml = fs.readFileSync(service.configPath, 'utf8');
			assert.match(yaml, /sticky_sessions: false/);
			const api = await (await fetch(`${service.baseUrl}/admin/api/settings`)).json();
			assert.equal(api.settings.load_balancing.sticky_sessions, false);
			assert.equal(api.version, hook.state.settings.version);
			hook = await waitForHook(page, hook.frame + 2, 'window.__adminTest.widgets["settings.save_status"] !== undefined');
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_settings.png') });
		} finally {
			await context.close();
		}
	});

	test('a 409 keeps the edit; reloading re-applies it on the new version and the save goes through', async () => {
		const { context, page } = await openSettings();
		try {
			let hook = await clickWidget(page, 'settings.section.load_balancing');
			hook = await waitForHook(page, hook.frame, 'window.__adminTest.widgets["settings.field.load_balancing.sticky_sessions"] !== undefined');
			const sticky = (await (await fetch(`${service.baseUrl}/admin/api/settings`)).json()).settings.load_balancing.sticky_sessions;
			hook = await clickWidget(page, 'settings.field.load_balancing.sticky_sessions');
			hook = await waitForHook(page, hook.frame, `state.settings.changes["load_balancing.sticky_sessions"] === ${!sticky}`);

			// Someone else saves meanwhile (a script with the CSRF token).
			const { csrf_token: token } = await (await fetch(`${service.baseUrl}/admin/api/session`)).json();
			const { version } = await (await fetch(`${service.baseUrl}/admin/api/settings`)).json();
			const put = await fetch(`${service.baseUrl}/admin/api/settings`, { method: 'PUT',
				headers: { 'content-type': 'application/json', 'x-csrf-token': token },
				body: JSON.stringify({ version, settings: { logging: { retention_days: 7 } } }) });
			assert.equal(put.status, 200, await put.clone().text());

			hook = await clickWidget(page, 'settings.save');
			hook = await waitForHook(page, hook.frame, 'state.settings.save_state === "failed" && state.settings.conflict === true');
			assert.match(hook.state.settings.save_error, /changed since version/);
			assert.equal(hook.state.settings.changes['load_balancing.sticky_sessions'], !sticky, 'the edit was lost');
			hook = await waitForHook(page, hook.frame + 2, 'window.__adminTest.widgets["settings.conflict_reload"] !== undefined');

			const loads = hook.state.settings.loads;
			hook = await clickWidget(page, 'settings.conflict_reload');
			hook = await waitForHook(page, hook.frame, `state.settings.loads > ${loads} && state.settings.state === "loaded"`);
			assert.equal(hook.state.settings.conflict, false);
			assert.equal(hook.state.settings.changes['load_balancing.sticky_sessions'], !sticky, 'the edit was not re-applied');
			hook = await clickWidget(page, 'settings.save');
			hook = await waitForHook(page, hook.frame, 'state.settings.save_state === "loaded"');
			const yaml = fs.readFileSync(service.configPath, 'utf8');
			assert.match(yaml, /retention_days: 7/);
			assert.match(yaml, new RegExp(`sticky_sessions: ${!sticky}`));
		} finally {
			await context.close();
		}
	});

	test('an invalid value shows the validation message next to its field', async () => {
		const { context, page } = await openSettings();
		try {
			let hook = await clickWidget(page, 'settings.section.server');
			hook = await waitForHook(page, hook.frame, 'window.__adminTest.widgets["settings.field.server.port"] !== undefined');
			// Replace the port with 70000: select all, then type.
			await clickWidget(page, 'settings.field.server.port');
			await page.keyboard.down('Control');
			await pressKey(page, 'a');
			await page.keyboard.up('Control');
			await page.keyboard.type('70000', { delay: 20 });
			hook = await waitForHook(page, 0, 'state.settings.problems["server.port"] !== undefined');
			assert.deepEqual(hook.state.settings.problems['server.port'], { error: true, message: 'must be between 1 and 65535' });
			assert.equal(hook.state.settings.changes['server.port'], 70000);
			assert.ok(hook.state.settings.validation_errors >= 1);
			hook = await waitForHook(page, hook.frame + 2, 'window.__adminTest.widgets["settings.problem.server.port"] !== undefined');
			const field = hook.widgets['settings.field.server.port'];
			const problem = hook.widgets['settings.problem.server.port'];
			assert.ok(problem[1] >= field[3] - 1 && problem[1] - field[3] < 30, `the message is not under the field: ${field} / ${problem}`);
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_settings_invalid.png') });

			// Save is disabled: a click sends nothing.
			const saves = hook.state.settings.saves;
			hook = await clickWidget(page, 'settings.save');
			hook = await waitForHook(page, hook.frame + 4);
			assert.equal(hook.state.settings.saves, saves);
			assert.equal(hook.state.settings.save_state, 'idle');
			assert.doesNotMatch(fs.readFileSync(service.configPath, 'utf8'), /70000/);
		} finally {
			await context.close();
		}
	});
});
