// The Taggers panel in a real browser against the real service (issue #8): edit a tagger through
// the UI and see config.yaml change, an invalid field's error next to it, create a Lua tagger,
// try it on the sample request (result in the test hook and on screen), save it, delete with
// confirmation. Screenshots of the list, the editor and the Lua try go to the artifacts dir.
// Run by ctest (browser.admin_taggers) with CCC_BINARY, CCC_ADMIN_DIR and CCC_ARTIFACTS_DIR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { clickWidget, hookNow, inkAnalysis, pressKey, waitForHook as waitForFrame } from './admin_page.mjs';
import { ServiceProcess, artifactsDir, launchChromium } from './service.mjs';

const CONFIG = `
server:
  host: 127.0.0.1
  port: \${PORT}
endpoints:
  - name: primary
    url: https://api.anthropic.com
    auth_type: api_key
    auth_value: sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789
    priority: 1
  - name: strong-pool
    url: https://relay.example.com
    auth_type: auth_token
    auth_value: relay-token-abcdefghijklmnopqrstuvwxyz
    priority: 2
    tags: [strong]
tagging:
  pipeline_timeout: 5s
  taggers:
    - {name: opus-model, type: builtin, builtin_type: model, tag: strong, priority: 1, config: {expected_value: 'claude-opus-*'}}
    - {name: msgs, type: builtin, builtin_type: path, tag: messages, config: {path_pattern: '*/v1/messages'}}
`;

const LUA = `function should_tag(request)
  return request.headers["x-app"] == "cli" and contains(request.body.model, "opus")
end
`;

describe('admin taggers panel', () => {
	let service;
	let browser;
	let page;
	let context;
	const problems = [];

	before(async () => {
		service = new ServiceProcess(CONFIG);
		await service.start();
		browser = await launchChromium();
		context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'dark' });
		await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: service.baseUrl });
		page = await context.newPage();
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		await page.goto(`${service.baseUrl}/admin/`);
		await waitForHook(page, 3, 'state.config_state === "loaded"');
		await clickWidget(page, 'nav.taggers');
		await waitForHook(page, 0, 'state.panel === "taggers" && state.taggers.list_state === "loaded" && state.taggers.taggers.length === 2'
			+ ' && state.taggers.sample_state === "loaded"');
	});

	after(async () => {
		if (context)
			await context.close();
		if (browser)
			await browser.close();
		if (service)
			await service.stop();
	});

	/// waitForFrame, but a timeout says what the panel's state was.
	async function waitForHook(p, minFrame, predicate = 'true', timeout) {
		try {
			return await waitForFrame(p, minFrame, predicate, timeout);
		} catch (e) {
			const hook = await hookNow(p);
			throw new Error(`${e.message}\nwaiting for: ${predicate}\ntaggers state: ${JSON.stringify(hook.state.taggers)}`);
		}
	}

	const config = () => fs.readFileSync(service.configPath, 'utf8');
	const shot = (name) => page.screenshot({ path: path.join(artifactsDir(), name) });

	/// The list row (pipeline position) of the tagger named `name`.
	async function rowOf(name) {
		const hook = await hookNow(page);
		const k = hook.state.taggers.taggers.findIndex((t) => t.name === name);
		assert.ok(k >= 0, `${name} is not listed: ${JSON.stringify(hook.state.taggers.taggers)}`);
		return k;
	}

	async function withControl(key) {
		await page.keyboard.down('Control');
		await pressKey(page, key);
		await page.keyboard.up('Control');
	}

	/// Replaces the text of a focused-by-click input: select all, then type.
	async function replaceText(widget, text) {
		await clickWidget(page, widget);
		await withControl('a');
		const hook = await hookNow(page);
		await page.keyboard.type(text, { delay: 30 });
		return waitForHook(page, hook.frame + 2);
	}

	/// Replaces the script by pasting (Enter keys could fall between frames). On a slow machine a
	/// held Ctrl+V may repeat: the paste is checked and done again until the script is `text`.
	async function pasteScript(text) {
		for (let attempt = 0; attempt < 4; ++attempt) {
			await clickWidget(page, 'taggers.editor.field.script');
			await withControl('a');
			await page.evaluate((t) => {
				const dt = new DataTransfer();
				dt.setData('text/plain', t);
				document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
			}, text);
			await withControl('v');
			const hook = await hookNow(page);
			const now = await waitForHook(page, hook.frame + 4);
			if (now.state.taggers.editor.tagger.config.script === text)
				return now;
		}
		const hook = await hookNow(page);
		assert.equal(hook.state.taggers.editor.tagger.config.script, text, 'the pasted script');
		return hook;
	}

	test('the list shows the taggers in pipeline order and the tags with their users', async () => {
		const hook = await hookNow(page);
		const s = hook.state.taggers;
		assert.deepEqual(s.taggers.map((t) => [t.name, t.tag, t.enabled]), [['msgs', 'messages', true], ['opus-model', 'strong', true]]);
		assert.ok(hook.widgets['taggers.row.0'] && hook.widgets['taggers.row.1']);
		assert.deepEqual(s.tags, [
			{ tag: 'messages', taggers: ['msgs'], endpoints: [] },
			{ tag: 'strong', taggers: ['opus-model'], endpoints: ['strong-pool'] },
		]);
		assert.ok(hook.widgets['taggers.tags.1']);
		await shot('admin_taggers_list.png');
	});

	test('edit a tagger: an invalid tag shows its error next to the field; saving writes config.yaml', async () => {
		await clickWidget(page, `taggers.edit.${await rowOf('opus-model')}`);
		let hook = await waitForHook(page, 0, 'state.taggers.editor && state.taggers.editor.original_name === "opus-model"');
		assert.ok(hook.widgets['taggers.editor.field.expected_value'], 'the model type shows its one field');
		assert.equal(hook.widgets['taggers.editor.field.path_pattern'], undefined);

		await replaceText('taggers.editor.tag', 'bad tag');
		hook = await waitForHook(page, 0, 'state.taggers.editor.tagger.tag === "bad tag"'
			+ ' && window.__adminTest.widgets["taggers.editor.error.tag"] !== undefined');
		const finding = hook.state.taggers.editor.findings.find((f) => f.path === 'tagger.tag');
		assert.match(finding.message, /1-50 characters/);
		const field = hook.widgets['taggers.editor.tag'];
		const error = hook.widgets['taggers.editor.error.tag'];
		assert.ok(error[1] >= field[3] - 1 && error[1] - field[3] < 30, `the error sits right under its field: ${field} / ${error}`);
		await shot('admin_taggers_editor_error.png');

		// Saving is refused locally while the form has errors: the file stays.
		const before = config();
		hook = await clickWidget(page, 'taggers.editor.save');
		hook = await waitForHook(page, 0, 'state.taggers.save.state === "failed"');
		assert.equal(config(), before);

		await replaceText('taggers.editor.tag', 'opus-tier');
		hook = await waitForHook(page, 0, 'state.taggers.editor.tagger.tag === "opus-tier"'
			+ ' && window.__adminTest.widgets["taggers.editor.error.tag"] === undefined');
		await replaceText('taggers.editor.field.expected_value', 'claude-opus-4*');
		await waitForHook(page, 0, 'state.taggers.editor.tagger.config.expected_value === "claude-opus-4*"');
		await clickWidget(page, 'taggers.editor.save');
		hook = await waitForHook(page, 0, 'state.taggers.save.state === "loaded" && state.taggers.list_state === "loaded"'
			+ ' && state.taggers.taggers.some((t) => t.tag === "opus-tier")');
		assert.ok(hook.widgets['taggers.editor.save_status']);
		const text = config();
		assert.match(text, /name: opus-model/);
		assert.match(text, /tag: opus-tier/);
		assert.match(text, /claude-opus-4\*/);
		assert.doesNotMatch(text, /tag: strong\b/);
		await shot('admin_taggers_editor.png');
	});

	test('a stale version is refused with 409: the edits stay, reload and save again', async () => {
		await clickWidget(page, `taggers.edit.${await rowOf('msgs')}`);
		await waitForHook(page, 0, 'state.taggers.editor && state.taggers.editor.original_name === "msgs"');
		await replaceText('taggers.editor.field.path_pattern', '/v1/*');
		await waitForHook(page, 0, 'state.taggers.editor.tagger.config.path_pattern === "/v1/*"');
		// Someone edits config.yaml by hand meanwhile.
		fs.writeFileSync(service.configPath, `${config()}# edited by hand\n`);
		await clickWidget(page, 'taggers.editor.save');
		let hook = await waitForHook(page, 0, 'state.taggers.save.state === "failed" && state.taggers.save.conflict === true');
		assert.equal(hook.state.taggers.editor.tagger.config.path_pattern, '/v1/*');
		assert.ok(hook.widgets['taggers.editor.conflict_reload']);
		// The service notices hand edits within about a second; wait until it serves the new version.
		const stale = hook.state.taggers.version;
		for (let i = 0; i < 100; ++i) {
			const served = await (await fetch(`${service.baseUrl}/admin/api/taggers`)).json();
			if (served.version !== stale)
				break;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		const loads = hook.state.taggers.list_loads;
		await clickWidget(page, 'taggers.editor.conflict_reload');
		hook = await waitForHook(page, 0, `state.taggers.list_loads > ${loads} && state.taggers.list_state === "loaded"`);
		assert.equal(hook.state.taggers.editor.tagger.config.path_pattern, '/v1/*', 'the reload kept the edit');
		await clickWidget(page, 'taggers.editor.save');
		await waitForHook(page, 0, 'state.taggers.save.state === "loaded"');
		assert.match(config(), /path_pattern: ["']?\/v1\/\*/);
		assert.match(config(), /# edited by hand/, 'the hand edit is kept');
	});

	test('create a Lua tagger, try it on the sample request, save it', async () => {
		await clickWidget(page, 'taggers.new_lua');
		let hook = await waitForHook(page, 0, 'state.taggers.editor && state.taggers.editor.original_name === "" && state.taggers.editor.tagger.type === "lua"');
		assert.ok(hook.widgets['taggers.editor.field.script']);
		assert.ok(hook.state.taggers.sample.body_bytes > 100, 'the sample request is prefilled');
		await replaceText('taggers.editor.name', 'cli-lua');
		await replaceText('taggers.editor.tag', 'cli');
		await pasteScript(LUA);
		hook = await waitForHook(page, 0, 'state.taggers.editor.tagger.name === "cli-lua" && state.taggers.editor.tagger.tag === "cli"'
			+ ' && (state.taggers.editor.tagger.config.script || "").includes("x-app")');
		assert.equal(hook.state.taggers.editor.tagger.config.script, LUA);
		assert.deepEqual(hook.state.taggers.editor.findings.filter((f) => f.error), []);

		await clickWidget(page, 'taggers.try.button');
		hook = await waitForHook(page, 0, 'state.taggers.try.state === "loaded"');
		const t = hook.state.taggers.try;
		assert.equal(t.matched, true, JSON.stringify(t));
		assert.deepEqual(t.tags, ['cli']);
		assert.equal(t.tagger_error, '');
		assert.ok(t.pipeline_tags.includes('cli') && t.pipeline_tags.includes('messages'), JSON.stringify(t));
		// On screen: the result line next to the button has text in it.
		const rect = hook.widgets['taggers.try.result'];
		const button = hook.widgets['taggers.try.button'];
		assert.ok(rect && Math.abs(rect[1] - button[1]) < 8 && rect[0] > button[2], `result next to the button: ${rect} / ${button}`);
		const png = await shot('admin_taggers_lua_try.png');
		const ink = await inkAnalysis(browser, png, rect);
		assert.ok(ink.inkPixels > 40, `the result is drawn (${ink.inkPixels} ink pixels)`);

		// An endless loop comes back as an error, not a hang.
		await pasteScript('function should_tag(request)\n  while true do end\nend\n');
		const tries = (await hookNow(page)).state.taggers.try.completed;
		await clickWidget(page, 'taggers.try.button');
		hook = await waitForHook(page, 0, `state.taggers.try.completed > ${tries} && state.taggers.try.state === "loaded"`);
		assert.equal(hook.state.taggers.try.matched, false);
		assert.match(hook.state.taggers.try.tagger_error, /instruction budget exceeded/);
		assert.ok(hook.widgets['taggers.try.error']);
		await shot('admin_taggers_lua_loop.png');

		await pasteScript(LUA);
		await clickWidget(page, 'taggers.editor.save');
		hook = await waitForHook(page, 0, 'state.taggers.save.state === "loaded" && state.taggers.taggers.some((t) => t.name === "cli-lua")');
		assert.equal(hook.state.taggers.editor.original_name, 'cli-lua');
		const text = config();
		assert.match(text, /name: cli-lua/);
		assert.match(text, /type: lua/);
		// The writer may emit the script as a block or as a quoted string: compare it unescaped.
		const saved = text.slice(text.indexOf('name: cli-lua'));
		const m = saved.match(/script: ("(?:[^"\\]|\\.)*")/);
		if (m)
			assert.equal(JSON.parse(m[1]), LUA);
		else
			assert.ok(saved.includes('return request.headers["x-app"] == "cli"'), `the script is saved: ${saved}`);
	});

	test('delete asks first, then removes the tagger from config.yaml', async () => {
		await clickWidget(page, `taggers.delete.${await rowOf('cli-lua')}`);
		let hook = await waitForHook(page, 0, 'state.taggers.pending_delete === "cli-lua"');
		assert.match(config(), /name: cli-lua/, 'nothing is deleted before the confirmation');
		await clickWidget(page, 'taggers.delete_confirm');
		hook = await waitForHook(page, 0, 'state.taggers.list_state === "loaded" && !state.taggers.taggers.some((t) => t.name === "cli-lua")');
		assert.equal(hook.state.taggers.editor, null, 'the editor of the deleted tagger closed');
		assert.doesNotMatch(config(), /cli-lua/);
	});

	test('in Chinese: the panel and its editor (screenshot)', async () => {
		await clickWidget(page, `taggers.edit.${await rowOf('opus-model')}`);
		await waitForHook(page, 0, 'state.taggers.editor && state.taggers.editor.original_name === "opus-model"');
		await clickWidget(page, 'top.language.zh-CN');
		const hook = await waitForHook(page, 0, 'state.language === "zh-CN" && state.font_state === "loaded"');
		assert.ok(hook.widgets['taggers.editor.save'] && hook.widgets['taggers.try.button']);
		await shot('admin_taggers_zh.png');
		await clickWidget(page, 'top.language.en');
		await waitForHook(page, 0, 'state.language === "en"');
		assert.deepEqual(problems, []);
	});
});
