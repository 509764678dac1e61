// The Endpoints panel in a real browser against the real service and fake upstreams (issue #8):
// the wizard adds an endpoint that lands in config.yaml; dragging b above a makes the next proxied
// request go to b; the editor shows a validation error next to the URL field and saves the fix;
// delete asks first. Screenshots of the list, the editor and each wizard step go to the artifacts.
// Run by ctest (browser.admin_endpoints) with CCC_BINARY, CCC_ADMIN_DIR, FAKE_UPSTREAM, CCC_ARTIFACTS_DIR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';

import { FakeUpstreams } from '../e2e/harness.mjs';
import { clickWidget, hookNow, pressKey, waitForHook } from './admin_page.mjs';
import { ServiceProcess, artifactsDir, launchChromium } from './service.mjs';

const SCENARIO = {
	servers: [
		{ name: 'a', responses: [{ kind: 'anthropic', text: 'from-a' }] },
		{ name: 'b', responses: [{ kind: 'anthropic', text: 'from-b' }] },
		{ name: 'c', responses: [{ kind: 'anthropic', text: 'from-c' }] },
		{ name: 'w', responses: [{ kind: 'anthropic', text: 'from-wizard' }] },
	],
};

function configYaml(fakes) {
	return `
server:
  host: 127.0.0.1
  port: \${PORT}
load_balancing:
  enabled: false
  sticky_sessions: false
endpoints:
  - name: a
    url: ${fakes.url('a')}
    endpoint_type: anthropic
    auth_type: auth_token
    auth_value: upstream-token-a-0123456789
    priority: 1
  - name: b
    url: ${fakes.url('b')}
    endpoint_type: anthropic
    auth_type: auth_token
    auth_value: upstream-token-b-0123456789
    priority: 2
  - name: tagged-one
    url: ${fakes.url('c')}
    endpoint_type: anthropic
    auth_type: api_key
    auth_value: upstream-key-c-0123456789
    priority: 3
    tags: [opus]
`;
}

describe('admin endpoints panel', () => {
	let fakes;
	let browser;
	let service;
	let context;
	let page;
	let problems;

	before(async () => {
		fakes = new FakeUpstreams(SCENARIO);
		await fakes.start();
		browser = await launchChromium();
	});

	after(async () => {
		if (browser)
			await browser.close();
		if (fakes)
			await fakes.stop();
	});

	// A fresh service (and config.yaml) per test: each test changes the configuration.
	beforeEach(async () => {
		service = new ServiceProcess(configYaml(fakes));
		await service.start();
		context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', colorScheme: 'dark' });
		page = await context.newPage();
		problems = [];
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
		await page.goto(`${service.baseUrl}/admin/`);
		await waitForHook(page, 3, 'state.config_state === "loaded"');
		await clickWidget(page, 'nav.endpoints');
		await waitForHook(page, 0, 'state.panel === "endpoints" && state.endpoints_model.list_state === "loaded"'
			+ ' && window.__adminTest.widgets["endpoints.row.0"] !== undefined');
	});

	afterEach(async () => {
		if (context)
			await context.close();
		if (service)
			await service.stop();
	});

	const model = (hook) => hook.state.endpoints_model;
	const configText = () => fs.readFileSync(service.configPath, 'utf8');
	/// The endpoint names of config.yaml in file order.
	const configNames = () => [...configText().matchAll(/^ {2}- name: (.+)$/gm)].map((m) => m[1].trim().replace(/^"(.*)"$/, '$1'));

	async function withControl(key) {
		await page.keyboard.down('Control');
		await pressKey(page, key);
		await page.keyboard.up('Control');
	}

	/// Replaces the text of an input: click it, select all, type.
	async function replaceText(widget, text) {
		await clickWidget(page, widget);
		await withControl('a');
		const hook = await hookNow(page);
		await page.keyboard.type(text, { delay: 20 });
		return waitForHook(page, hook.frame + 3);
	}

	/// Holds the mouse on `fromWidget`, moves it in steps (a frame each) onto `toWidget`, releases.
	async function dragWidget(fromWidget, toWidget) {
		let hook = await hookNow(page);
		const box = await page.locator('#canvas').boundingBox();
		const centre = (r) => [box.x + (r[0] + r[2]) / 2, box.y + (r[1] + r[3]) / 2];
		const [x0, y0] = centre(hook.widgets[fromWidget]);
		const [x1, y1] = centre(hook.widgets[toWidget]);
		await page.mouse.move(x0, y0);
		hook = await waitForHook(page, hook.frame + 2);
		await page.mouse.down();
		hook = await waitForHook(page, hook.frame + 2);
		const steps = 8;
		for (let i = 1; i <= steps; ++i) {
			await page.mouse.move(x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps);
			hook = await waitForHook(page, hook.frame + 2);
		}
		hook = await waitForHook(page, hook.frame + 2);
		await page.mouse.up();
		return waitForHook(page, hook.frame + 3);
	}

	test('the lists: tagged and general, in priority order, with live state', async () => {
		const hook = await hookNow(page);
		assert.deepEqual(model(hook).tagged, ['tagged-one']);
		assert.deepEqual(model(hook).general, ['a', 'b']);
		for (const w of ['endpoints.list.tagged', 'endpoints.list.general', 'endpoints.row.2', 'endpoints.row.0.handle',
			'endpoints.row.1.enabled', 'endpoints.row.1.edit', 'endpoints.row.1.copy', 'endpoints.row.1.delete',
			'endpoints.row.1.reset', 'endpoints.row.1.test', 'endpoints.new', 'endpoints.wizard'])
			assert.ok(hook.widgets[w], `${w} not drawn`);
		// The special list is drawn above the general one.
		assert.ok(hook.widgets['endpoints.row.2'][1] < hook.widgets['endpoints.row.0'][1]);

		// "Test" sends one request to the endpoint's upstream and shows status and latency on the row.
		const before = fakes.messageRequests('b').length;
		await clickWidget(page, 'endpoints.row.1.test');
		const tested = await waitForHook(page, 0, 'Object.values(state.endpoints_model.tests).length === 1');
		const result = Object.values(model(tested).tests)[0];
		assert.equal(result.ok, true, JSON.stringify(result));
		assert.equal(result.status, 200);
		assert.equal(fakes.messageRequests('b').length, before + 1);
		const shown = await waitForHook(page, tested.frame + 1, 'window.__adminTest.widgets["endpoints.row.1.test_status"] !== undefined');
		assert.ok(shown.widgets['endpoints.row.1.test_status'][1] >= shown.widgets['endpoints.row.1.test'][3] - 1);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_list.png') });

		// The same lists and the editor in Chinese (the strings' characters are in the font subset).
		await clickWidget(page, 'top.language.zh-CN');
		let zh = await waitForHook(page, 0, 'state.language === "zh-CN" && state.font_state === "loaded"');
		zh = await waitForHook(page, zh.frame + 2);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_list_zh.png') });
		await clickWidget(page, 'endpoints.row.1.edit');
		zh = await waitForHook(page, 0, 'state.endpoints_model.editor.open');
		zh = await waitForHook(page, zh.frame + 2);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_editor_zh.png') });
		assert.deepEqual(problems, []);
	});

	test('drag b above a: applied at once, saved, and the next request goes to b', async () => {
		let hook = await dragWidget('endpoints.row.1.handle', 'endpoints.row.0');
		hook = await waitForHook(page, hook.frame, 'state.endpoints_model.reorder.state === "loaded"'
			+ ' && state.endpoints_model.list_state === "loaded"');
		assert.deepEqual(model(hook).general, ['b', 'a']);
		assert.deepEqual(model(hook).tagged, ['tagged-one'], 'the other list keeps its endpoints');
		assert.deepEqual(configNames(), ['b', 'a', 'tagged-one']);
		hook = await waitForHook(page, hook.frame + 1, 'window.__adminTest.widgets["endpoints.reorder_status"] !== undefined');
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_reordered.png') });

		const beforeA = fakes.messageRequests('a').length;
		const beforeB = fakes.messageRequests('b').length;
		const res = await fetch(`${service.baseUrl}/v1/messages`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'client' },
			body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }),
		});
		const text = await res.text();
		assert.equal(res.status, 200, text);
		assert.match(text, /from-b/);
		assert.equal(fakes.messageRequests('b').length, beforeB + 1, 'the request went to b');
		assert.equal(fakes.messageRequests('a').length, beforeA, 'a was not asked');
		assert.deepEqual(problems, []);
	});

	test('a reorder refused with 409 reloads the list and says so next to it', async () => {
		// Someone edits config.yaml by hand between the page's read and the drag.
		fs.writeFileSync(service.configPath, configText().replace('priority: 3', 'priority: 4'));
		let hook = await dragWidget('endpoints.row.1.handle', 'endpoints.row.0');
		hook = await waitForHook(page, hook.frame, 'state.endpoints_model.reorder.state === "failed"');
		assert.match(model(hook).reorder.error, /changed elsewhere/);
		hook = await waitForHook(page, hook.frame + 1, 'state.endpoints_model.list_state === "loaded"'
			+ ' && window.__adminTest.widgets["endpoints.reorder_status"] !== undefined');
		assert.deepEqual(model(hook).general, ['a', 'b'], "the service's order is shown again");
	});

	test('edit: an invalid URL is flagged at the field as you type; the fix is saved to config.yaml', async () => {
		await clickWidget(page, 'endpoints.row.1.edit');
		let hook = await waitForHook(page, 0, 'state.endpoints_model.editor.open'
			+ ' && window.__adminTest.widgets["endpoints.editor.url"] !== undefined');
		assert.equal(model(hook).editor.name, 'b');
		assert.deepEqual(model(hook).editor.findings, {});
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_editor.png') });

		hook = await replaceText('endpoints.editor.url', 'not a url');
		hook = await waitForHook(page, hook.frame, 'state.endpoints_model.editor.findings["endpoint.url"] !== undefined'
			+ ' && window.__adminTest.widgets["endpoints.editor.error.endpoint.url"] !== undefined');
		assert.match(model(hook).editor.findings['endpoint.url'], /^error: /);
		const field = hook.widgets['endpoints.editor.url'];
		const error = hook.widgets['endpoints.editor.error.endpoint.url'];
		assert.ok(error[1] >= field[3] - 1 && error[1] - field[3] < 12 && Math.abs(error[0] - field[0]) < 4,
			`the error ${error} is not right under the URL field ${field}`);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_editor_error.png') });

		const fixed = fakes.url('c') + '/relay';
		hook = await replaceText('endpoints.editor.url', fixed);
		hook = await waitForHook(page, hook.frame, 'state.endpoints_model.editor.findings["endpoint.url"] === undefined');
		assert.equal(model(hook).editor.url, fixed);
		// The default model shortcut: one "*" rewrite rule.
		await clickWidget(page, 'endpoints.editor.default_model');
		await page.keyboard.type('glm-test', { delay: 20 });

		// Someone edits config.yaml by hand meanwhile: the save is refused with 409, the form is kept.
		fs.writeFileSync(service.configPath, configText().replace('priority: 3', 'priority: 4'));
		await clickWidget(page, 'endpoints.editor.save');
		hook = await waitForHook(page, 0, 'state.endpoints_model.editor.conflict && state.endpoints_model.list_state === "loaded"'
			+ ' && window.__adminTest.widgets["endpoints.editor.conflict_reload"] !== undefined');
		assert.ok(model(hook).editor.open);
		assert.equal(model(hook).editor.url, fixed, 'what the user typed is kept');
		assert.match(model(hook).editor.save.error, /changed elsewhere/);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_editor_conflict.png') });
		await clickWidget(page, 'endpoints.editor.conflict_reload');
		await waitForHook(page, 0, '!state.endpoints_model.editor.conflict');
		await clickWidget(page, 'endpoints.editor.save');
		hook = await waitForHook(page, 0, '!state.endpoints_model.editor.open && state.endpoints_model.editor.save.state === "loaded"');
		assert.ok(configText().includes(`url: ${fixed}`), configText());
		assert.match(configText(), /source_pattern: "?\*"?\n\s+target_model: glm-test/);
		assert.ok(configText().includes('priority: 4'), 'the hand edit is kept');
		assert.ok(configText().includes('upstream-token-b-0123456789'), 'the masked secret kept the stored value');
		// The browser reports the refused save in its console; nothing else may go wrong.
		assert.deepEqual(problems.filter((p) => !/status of 409/.test(p)), []);
	});

	test('enable toggle and copy apply to config.yaml and report on their row', async () => {
		const idOf = (hook, name) => hook.state.endpoint_status.find((e) => e.name === name)?.id;
		let hook = await hookNow(page);
		const b = idOf(hook, 'b');
		assert.ok(b, JSON.stringify(hook.state.endpoint_status));
		await clickWidget(page, 'endpoints.row.1.enabled');
		hook = await waitForHook(page, 0, `state.endpoints_model.actions.toggle[${JSON.stringify(b)}]?.state === "loaded"`
			+ ' && state.endpoints_model.list_state === "loaded"');
		assert.match(configText(), /- name: b\n(?: {4}.*\n)*? {4}enabled: false/);

		await clickWidget(page, 'endpoints.row.0.copy');
		hook = await waitForHook(page, 0, 'state.endpoints_model.order.includes("a (2)")');
		assert.deepEqual(configNames(), ['a', 'a (2)', 'b', 'tagged-one']);
		assert.deepEqual(problems, []);
	});

	test('delete asks for confirmation first', async () => {
		await clickWidget(page, 'endpoints.row.1.delete');
		let hook = await waitForHook(page, 0, 'state.endpoints_model.delete_asked !== ""'
			+ ' && window.__adminTest.widgets["endpoints.delete.yes"] !== undefined');
		assert.deepEqual(configNames(), ['a', 'b', 'tagged-one'], 'nothing deleted before the confirmation');
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_delete_confirm.png') });
		await clickWidget(page, 'endpoints.delete.no');
		hook = await waitForHook(page, 0, 'state.endpoints_model.delete_asked === ""');
		assert.deepEqual(configNames(), ['a', 'b', 'tagged-one']);

		await clickWidget(page, 'endpoints.row.1.delete');
		await waitForHook(page, 0, 'window.__adminTest.widgets["endpoints.delete.yes"] !== undefined');
		await clickWidget(page, 'endpoints.delete.yes');
		hook = await waitForHook(page, 0, 'state.endpoints_model.list_state === "loaded" && !state.endpoints_model.order.includes("b")');
		assert.deepEqual(configNames(), ['a', 'tagged-one']);
		assert.deepEqual(model(hook).general, ['a']);
		assert.deepEqual(problems, []);
	});

	test('the wizard adds an endpoint in three steps; it is in config.yaml', async () => {
		await clickWidget(page, 'endpoints.wizard');
		let hook = await waitForHook(page, 0, 'state.endpoints_model.wizard.open && state.endpoints_model.wizard.profiles > 0'
			+ ' && window.__adminTest.widgets["endpoints.wizard.profile.glmanthropic"] !== undefined');
		assert.equal(model(hook).wizard.step, 1);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_wizard_1.png') });
		await clickWidget(page, 'endpoints.wizard.profile.glmanthropic');
		hook = await waitForHook(page, 0, 'state.endpoints_model.wizard.step === 2'
			+ ' && window.__adminTest.widgets["endpoints.wizard.auth_value"] !== undefined');
		assert.equal(model(hook).wizard.url, 'https://open.bigmodel.cn/api/anthropic', 'the URL is prefilled');

		// Next without a credential stays on step 2 and says why there.
		await clickWidget(page, 'endpoints.wizard.next');
		hook = await waitForHook(page, 0, 'state.endpoints_model.wizard.step_error !== ""'
			+ ' && window.__adminTest.widgets["endpoints.wizard.step_error"] !== undefined');
		assert.equal(model(hook).wizard.step, 2);

		await clickWidget(page, 'endpoints.wizard.auth_value');
		await page.keyboard.type('wizard-secret-0123456789', { delay: 20 });
		await replaceText('endpoints.wizard.url', fakes.url('w'));
		hook = await waitForHook(page, 0, `state.endpoints_model.wizard.url === ${JSON.stringify(fakes.url('w'))}`);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_wizard_2.png') });
		await clickWidget(page, 'endpoints.wizard.next');
		hook = await waitForHook(page, 0, 'state.endpoints_model.wizard.step === 3 && state.endpoints_model.wizard.name !== ""'
			+ ' && window.__adminTest.widgets["endpoints.wizard.summary"] !== undefined');
		assert.equal(model(hook).wizard.name, 'glm-anthropic-compatible');
		await replaceText('endpoints.wizard.name', 'glm-fake');
		hook = await waitForHook(page, 0, 'state.endpoints_model.wizard.name === "glm-fake"');
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_wizard_3.png') });
		await clickWidget(page, 'endpoints.wizard.next');
		hook = await waitForHook(page, 0, '!state.endpoints_model.wizard.open && state.endpoints_model.wizard.submit.state === "loaded"'
			+ ' && state.endpoints_model.order.includes("glm-fake")');
		const text = configText();
		assert.deepEqual(configNames(), ['a', 'b', 'tagged-one', 'glm-fake']);
		assert.ok(text.includes(`url: ${fakes.url('w')}`), text);
		assert.ok(text.includes('wizard-secret-0123456789'), text);
		await page.screenshot({ path: path.join(artifactsDir(), 'admin_endpoints_after_wizard.png') });
		assert.deepEqual(problems, []);
	});
});
