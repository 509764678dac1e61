// The Logs panel in a real browser (issue #8): the real service in front of a fake upstream pair
// (the first answers 529, the second answers, with a model rewrite), requests sent through the
// proxy (streaming and not), then the table, a filter, a row's detail with both attempt tabs,
// the request and response inspectors, copying the id, the debug ZIP download and the live tail.
// Screenshots go to the artifacts dir. Run by ctest (browser.admin_logs) with CCC_BINARY,
// CCC_ADMIN_DIR, CCC_ARTIFACTS_DIR and FAKE_UPSTREAM.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startProxyWithFakes } from '../e2e/harness.mjs';
import { clickWidget, hookNow, pressKey, waitForHook } from './admin_page.mjs';
import { artifactsDir, launchChromium, requireEnvFile } from './service.mjs';

const TIMEOUT = 240000;
const WAIT = 60000;
const MODEL = 'claude-opus-4-8';
const OTHER_MODEL = 'claude-haiku-4-5';

const REWRITE = [
	'    model_rewrite:',
	'      enabled: true',
	'      rules:',
	`        - {source_pattern: '${MODEL}', target_model: 'glm-4.6'}`,
].join('\n');

/// A Claude Code shaped request: system, tools, a tool_use answered by its tool_result, and one
/// tool_result whose tool_use is missing (the inspector flags it).
function toolConversation(stream) {
	return {
		model: MODEL, max_tokens: 1024, stream,
		system: [{ type: 'text', text: 'You are Claude Code, a helpful assistant.' }],
		tools: [
			{ name: 'Bash', description: 'Run a command', input_schema: { type: 'object', properties: { command: { type: 'string' } } } },
			{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: { file_path: { type: 'string' } } } },
		],
		messages: [
			{ role: 'user', content: 'list the files' },
			{ role: 'assistant', content: [{ type: 'text', text: 'Running ls.' },
				{ type: 'tool_use', id: 'toolu_ls', name: 'Bash', input: { command: 'ls' } }] },
			{ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_ls', content: 'a.txt\nb.txt' },
				{ type: 'tool_result', tool_use_id: 'toolu_missing', content: 'orphan' },
				{ type: 'text', text: 'now summarise' }] },
		],
	};
}

async function send(baseUrl, body) {
	const res = await fetch(`${baseUrl}/v1/messages`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', authorization: 'Bearer client-token', 'anthropic-version': '2023-06-01' },
		body: JSON.stringify(body),
	});
	const text = await res.text();
	assert.equal(res.status, 200, `proxy answered ${res.status}: ${text}`);
	return text;
}

async function logs(baseUrl, query = '') {
	const res = await fetch(`${baseUrl}/admin/api/logs?limit=100${query}`);
	assert.equal(res.status, 200);
	return (await res.json()).items;
}

/// The log writer batches records: wait until `count` requests are stored.
async function waitForStored(baseUrl, count) {
	const deadline = Date.now() + WAIT;
	let items = [];
	while (Date.now() < deadline) {
		items = await logs(baseUrl);
		if (items.length >= count)
			return items;
		await new Promise((r) => setTimeout(r, 100));
	}
	assert.fail(`only ${items.length} of ${count} requests stored`);
}

describe('admin logs panel', () => {
	let setup;
	let browser;
	const shots = artifactsDir();

	before(async () => {
		requireEnvFile('CCC_ADMIN_DIR');
		setup = await startProxyWithFakes([
			{ name: 'first', responses: [{ kind: 'overloaded' }] },
			{ name: 'second', responses: [{ kind: 'anthropic', text: 'pong from the second endpoint' }], endpoint: { extra: REWRITE } },
		]);
		browser = await launchChromium();
	});

	after(async () => {
		if (browser)
			await browser.close();
		if (setup)
			await setup.stop();
	});

	test('table, filter, detail with attempts, inspectors, copy, export, live tail', { timeout: TIMEOUT }, async () => {
		const base = setup.proxy.baseUrl;
		// Oldest first: the streamed tool conversation is the first request, so its first attempt
		// met the 529 before any breaker could skip the first endpoint.
		await send(base, toolConversation(true));
		await send(base, { model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'say pong' }] });
		await send(base, { model: OTHER_MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'say pong' }] });
		await send(base, toolConversation(false));
		const stored = await waitForStored(base, 4);
		const streamed = stored[stored.length - 1];
		assert.equal(streamed.streaming, true);
		// The 529 may be retried on the first endpoint before the failover: two attempts or more.
		assert.ok(streamed.attempt_count >= 2, JSON.stringify(streamed));
		const n = streamed.attempt_count;

		const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'en-US', colorScheme: 'dark',
			permissions: ['clipboard-read', 'clipboard-write'], acceptDownloads: true });
		const page = await context.newPage();
		const problems = [];
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
		try {
			await page.goto(`${base}/admin/`);
			await waitForHook(page, 3, 'state.config_state === "loaded"');
			await clickWidget(page, 'nav.logs');
			let hook = await waitForHook(page, 0, 'state.logs.rows === 4 && state.logs.list_state === "loaded"', WAIT);
			assert.equal(hook.state.logs.first_request_id, stored[0].request_id);
			for (let i = 0; i < 4; ++i)
				assert.ok(hook.widgets[`logs.row.${i}`], `row ${i} is on screen`);
			await page.screenshot({ path: path.join(shots, 'admin-logs-table.png') });

			// Filter by model: typed into the model field, applied with Enter; Clear brings all back.
			await clickWidget(page, 'logs.filter.model');
			await page.keyboard.type(OTHER_MODEL, { delay: 30 });
			await pressKey(page, 'Enter');
			hook = await waitForHook(page, 0, `state.logs.filters.model === "${OTHER_MODEL}" && state.logs.list_state === "loaded"`, WAIT);
			assert.equal(hook.state.logs.rows, 1);
			assert.match(hook.state.logs.query, /model=claude-haiku-4-5/);
			await page.screenshot({ path: path.join(shots, 'admin-logs-filtered.png') });
			await clickWidget(page, 'logs.clear');
			hook = await waitForHook(page, 0, 'state.logs.filters.model === "" && state.logs.rows === 4', WAIT);
			// A status class from its combo: nothing failed as far as the clients saw.
			await clickWidget(page, 'logs.status');
			await waitForHook(page, 0, 'window.__adminTest.widgets["logs.status.5xx"] !== undefined');
			await clickWidget(page, 'logs.status.5xx');
			hook = await waitForHook(page, 0, 'state.logs.filters.status === "5xx" && state.logs.list_state === "loaded"', WAIT);
			assert.equal(hook.state.logs.rows, 0);
			// A time preset: the last 15 minutes hold every request.
			await clickWidget(page, 'logs.time');
			await waitForHook(page, 0, 'window.__adminTest.widgets["logs.time.15m"] !== undefined');
			await clickWidget(page, 'logs.time.15m');
			hook = await waitForHook(page, 0, 'state.logs.filters.time === "15m" && state.logs.list_state === "loaded"', WAIT);
			assert.ok(hook.state.logs.filters.from > 0);
			assert.equal(hook.state.logs.filters.status, '5xx', 'filters combine');
			await clickWidget(page, 'logs.clear');
			hook = await waitForHook(page, 0, 'state.logs.filters.status === "" && state.logs.filters.time === "all" && state.logs.rows === 4', WAIT);

			// The streamed tool conversation is the last row (oldest): open it by clicking the row.
			await clickWidget(page, 'logs.row.3');
			hook = await waitForHook(page, 0, `state.logs.selected === "${streamed.request_id}" && state.logs.detail_state === "loaded"`, WAIT);
			const s = hook.state.logs;
			const tabs = ['summary', ...Array.from({ length: n }, (_, i) => `attempt_${i + 1}`), 'request', 'response'];
			assert.deepEqual(s.tabs, tabs);
			assert.equal(s.attempts.length, n);
			const last = s.attempts[n - 1];
			assert.equal(s.attempts[0].status, 529);
			assert.equal(s.attempts[0].endpoint, 'first');
			assert.notEqual(s.attempts[0].outcome, 'success');
			assert.match(s.attempts[0].received.upstream_error, /overloaded/i);
			assert.equal(last.status, 200);
			assert.equal(last.endpoint, 'second');
			assert.equal(last.outcome, 'success');
			// The model rewrite shows as a difference between what was sent and the original.
			assert.ok(last.sent_added >= 1 && last.sent_removed >= 1, JSON.stringify(last));
			assert.equal(last.received.streamed, true);
			for (const tab of tabs)
				assert.ok(hook.widgets[`logs.tab.${tab}`], `tab ${tab} is drawn`);
			await page.screenshot({ path: path.join(shots, 'admin-logs-detail.png') });

			await clickWidget(page, 'logs.tab.attempt_1');
			hook = await waitForHook(page, 0, 'true');
			hook = await waitForHook(page, hook.frame + 2, 'true');
			assert.ok(hook.widgets['logs.tab.attempt_1.status'], 'the first attempt tab shows its status');
			await page.screenshot({ path: path.join(shots, 'admin-logs-attempt-1.png') });
			await clickWidget(page, `logs.tab.attempt_${n}`);
			hook = await waitForHook(page, hook.frame + 2, 'true');
			hook = await waitForHook(page, hook.frame + 2, 'true');
			assert.ok(hook.widgets[`logs.tab.attempt_${n}.status`]);
			assert.ok(hook.widgets[`logs.tab.attempt_${n}.sent_diff`], 'the sent-vs-original diff is shown');
			assert.ok(hook.widgets[`logs.tab.attempt_${n}.returned_diff`], 'the returned-vs-received diff is shown');
			await page.screenshot({ path: path.join(shots, 'admin-logs-attempt-last.png') });

			// Request inspector: tools, roles, the pair and the orphan result, an estimate.
			await clickWidget(page, 'logs.tab.request');
			hook = await waitForHook(page, hook.frame + 2, 'true');
			hook = await waitForHook(page, hook.frame + 2, 'true');
			assert.ok(hook.widgets['logs.inspector.request.summary']);
			const req = hook.state.logs.request_inspector;
			assert.equal(req.parsed, true);
			assert.deepEqual(req.tools, ['Bash', 'Read']);
			assert.deepEqual(req.roles, ['user', 'assistant', 'user']);
			assert.equal(req.pairs, 2);
			assert.equal(req.unmatched_uses, 0);
			assert.equal(req.unmatched_results, 1);
			assert.ok(req.estimated_tokens > 0);
			await page.screenshot({ path: path.join(shots, 'admin-logs-request-inspector.png') });

			// Response inspector: the stream rebuilt into its message.
			await clickWidget(page, 'logs.tab.response');
			hook = await waitForHook(page, hook.frame + 2, 'true');
			hook = await waitForHook(page, hook.frame + 2, 'true');
			assert.ok(hook.widgets['logs.inspector.response.summary']);
			const resp = hook.state.logs.response_inspector;
			assert.equal(resp.parsed, true);
			assert.equal(resp.streamed, true);
			assert.equal(resp.validation, '');
			assert.equal(resp.stop_reason, 'end_turn');
			assert.ok(resp.events >= 5);
			assert.equal(resp.blocks[0].type, 'text');
			assert.ok(resp.usage.output_tokens > 0);
			await page.screenshot({ path: path.join(shots, 'admin-logs-response-inspector.png') });

			// Copy the request id to the clipboard.
			await clickWidget(page, 'logs.detail.copy_id');
			assert.equal(await page.evaluate(() => navigator.clipboard.readText()), streamed.request_id);

			// The debug ZIP arrives as a browser download.
			const downloaded = page.waitForEvent('download', { timeout: WAIT });
			await clickWidget(page, 'logs.detail.export');
			const download = await downloaded;
			assert.match(download.suggestedFilename(), /^debug_.*\.zip$/);
			const file = await download.path();
			const bytes = fs.readFileSync(file);
			assert.ok(bytes.length > 100, `zip of ${bytes.length} bytes`);
			assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK');
			hook = await waitForHook(page, 0, 'state.logs.export_state === "loaded"', WAIT);
			assert.equal(hook.state.logs.exports, 1);
			assert.equal(hook.state.logs.last_export, streamed.request_id);
			// A refused export is shown next to its button, and nothing is saved.
			await page.route('**/export', (route) => route.fulfill({ status: 404, contentType: 'application/json',
				body: JSON.stringify({ error: "no request with id 'x'", path: 'request_id' }) }));
			let saved = false;
			page.on('download', () => { saved = true; });
			await clickWidget(page, 'logs.detail.export');
			hook = await waitForHook(page, 0, 'state.logs.export_state === "failed"', WAIT);
			assert.equal(hook.state.logs.export_error, "HTTP 404: no request with id 'x'");
			hook = await waitForHook(page, hook.frame + 1);
			assert.ok(hook.widgets['logs.detail.export_status'], 'the error is drawn next to the button');
			await page.screenshot({ path: path.join(shots, 'admin-logs-export-refused.png') });
			assert.equal(saved, false);
			await page.unroute('**/export');

			// Live tail: a request sent now appears at the top without a reload.
			await clickWidget(page, 'logs.detail.close');
			await clickWidget(page, 'logs.live_tail');
			await waitForHook(page, 0, 'state.logs.live_tail === true');
			await send(base, { model: MODEL, max_tokens: 64, messages: [{ role: 'user', content: 'tail me' }] });
			hook = await waitForHook(page, 0, 'state.logs.rows === 5', WAIT);
			assert.ok(hook.state.logs.prepended_total >= 1);
			const newest = (await logs(base))[0];
			assert.equal(hook.state.logs.first_request_id, newest.request_id);
			await page.screenshot({ path: path.join(shots, 'admin-logs-live-tail.png') });
			// The browser logs the refused export's 404 itself; anything else is a problem.
			assert.deepEqual(problems.filter((p) => !/status of 404/.test(p)), []);
		} finally {
			await context.close();
		}
	});
});
