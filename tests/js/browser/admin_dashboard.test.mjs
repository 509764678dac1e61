// The dashboard in a real browser against the real service with a fake upstream: endpoint cards
// and charts load, requests sent through the proxy update the counters and the chart data live
// through the event stream (GET /admin/api/events) without any reload, range presets reload the
// series, and a dropped stream reconnects. Screenshots go to the artifacts dir.
// Run by ctest (browser.admin_dashboard) with CCC_BINARY, CCC_ADMIN_DIR, CCC_ARTIFACTS_DIR and FAKE_UPSTREAM.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { FakeUpstreams } from '../e2e/harness.mjs';
import { clickWidget, waitForHook } from './admin_page.mjs';
import { ServiceProcess, artifactsDir, launchChromium } from './service.mjs';

describe('admin dashboard', () => {
	let fakes;
	let service;
	let browser;

	before(async () => {
		fakes = new FakeUpstreams({ servers: [
			{ name: 'primary', responses: [{ kind: 'anthropic', text: 'pong' }] },
			{ name: 'broken', responses: [{ kind: 'error', status: 400, errorType: 'invalid_request_error', message: 'bad' }] },
		] });
		await fakes.start();
		service = new ServiceProcess(`
server:
  host: 127.0.0.1
  port: \${PORT}
endpoints:
  - name: primary
    url: ${fakes.url('primary')}
    endpoint_type: anthropic
    auth_type: api_key
    auth_value: sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789
    priority: 1
  - name: backup
    url: ${fakes.url('broken')}
    endpoint_type: anthropic
    auth_type: api_key
    auth_value: sk-ant-api03-zyxwvutsrqponmlkjihgfedcba9876543210
    priority: 2
`);
		await service.start();
		browser = await launchChromium();
	});

	after(async () => {
		if (browser)
			await browser.close();
		if (service)
			await service.stop();
		if (fakes)
			await fakes.stop();
	});

	async function sendRequests(n) {
		for (let i = 0; i < n; ++i) {
			const res = await fetch(`${service.baseUrl}/v1/messages`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-api-key': 'client', 'anthropic-version': '2023-06-01' },
				body: JSON.stringify({ model: 'claude-sonnet-4-5', max_tokens: 16, messages: [{ role: 'user', content: `hello ${i}` }] }),
			});
			const text = await res.text();
			assert.equal(res.status, 200, text);
		}
	}

	test('cards, charts and live updates from the event stream', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', colorScheme: 'dark' });
		const page = await context.newPage();
		const problems = [];
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		let navigations = 0;
		page.on('framenavigated', (f) => { if (f === page.mainFrame()) ++navigations; });
		try {
			await page.goto(`${service.baseUrl}/admin/`);
			let hook = await waitForHook(page, 3, 'state.panel === "dashboard" && state.dashboard.summary_state === "loaded"'
				+ ' && state.dashboard.series_state === "loaded" && state.dashboard.stream === "open"');
			const d0 = hook.state.dashboard;
			assert.equal(d0.range, '24h');
			assert.equal(d0.cards.length, 2);
			assert.deepEqual(d0.cards.map((c) => c.name), ['primary', 'backup']);
			assert.ok(d0.series.buckets >= 59 && d0.series.buckets <= 61, JSON.stringify(d0.series));
			for (const name of ['dashboard.card.0', 'dashboard.card.1', 'dashboard.chart.requests', 'dashboard.chart.latency',
				'dashboard.chart.tokens', 'dashboard.totals', 'dashboard.stream', 'dashboard.range.1h'])
				assert.ok(hook.widgets[name], `widget ${name} missing`);
			const navigationsBefore = navigations;

			// Requests through the proxy: counters and chart data follow through events alone.
			await sendRequests(3);
			hook = await waitForHook(page, hook.frame, `state.dashboard.events_received >= ${d0.events_received + 3}`
				+ ` && state.dashboard.series.requests >= ${d0.series.requests + 3}`
				+ ` && state.dashboard.cards[0].live_requests >= ${d0.cards[0].live_requests + 3}`);
			const d1 = hook.state.dashboard;
			assert.ok(d1.series.output_tokens > d0.series.output_tokens, JSON.stringify(d1.series));
			assert.ok(d1.series.max_latency_p95_ms >= 0);
			assert.ok(d1.series.generation > d0.series.generation);
			assert.ok(d1.total_requests >= d0.total_requests + 3);
			assert.equal(d1.cards[1].live_requests, d0.cards[1].live_requests, 'the backup was not used');
			assert.equal(navigations, navigationsBefore, 'the page was reloaded');
			assert.equal(d1.reconnects, 0);

			// Hover the requests chart: the tooltip shows the bucket's values (screenshot).
			const box = await page.locator('#canvas').boundingBox();
			const r = hook.widgets['dashboard.chart.requests'];
			await page.mouse.move(box.x + r[2] - 6, box.y + (r[1] + r[3]) / 2);
			hook = await waitForHook(page, hook.frame + 3);
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_dashboard.png') });

			// Another range: the series is asked again with its own buckets.
			const loads = hook.state.dashboard.series_loads;
			hook = await clickWidget(page, 'dashboard.range.15m');
			hook = await waitForHook(page, hook.frame, `state.dashboard.range === "15m" && state.dashboard.series_loads > ${loads}`
				+ ' && state.dashboard.series_state === "loaded"');
			assert.ok(hook.state.dashboard.series.requests >= 3, JSON.stringify(hook.state.dashboard.series));
			assert.deepEqual(problems, []);
		} finally {
			await context.close();
		}
	});

	test('in Chinese', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'zh-CN', colorScheme: 'light' });
		const page = await context.newPage();
		try {
			await page.goto(`${service.baseUrl}/admin/`);
			const hook = await waitForHook(page, 3, 'state.language === "zh-CN" && state.font_state === "loaded"'
				+ ' && state.dashboard.summary_state === "loaded" && state.dashboard.series_state === "loaded"');
			assert.ok(hook.widgets['dashboard.chart.requests']);
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_dashboard_zh.png') });
		} finally {
			await context.close();
		}
	});

	test('a dropped event stream reconnects and shows its state', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
		const page = await context.newPage();
		try {
			// The first two connections fail; the third goes through.
			let attempts = 0;
			await page.route('**/admin/api/events*', (route) => (++attempts <= 2 ? route.abort('connectionreset') : route.continue()));
			await page.goto(`${service.baseUrl}/admin/`);
			let hook = await waitForHook(page, 3, 'state.dashboard.stream === "waiting"');
			assert.ok(hook.widgets['dashboard.stream'], 'the connection state is not drawn');
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_dashboard_reconnecting.png') });
			hook = await waitForHook(page, hook.frame, 'state.dashboard.stream === "open"', 60000);
			assert.ok(attempts >= 3, `only ${attempts} connection attempts`);
			// Live again.
			const before = hook.state.dashboard.events_received;
			await sendRequests(1);
			hook = await waitForHook(page, hook.frame, `state.dashboard.events_received > ${before}`);
		} finally {
			await context.close();
		}
	});
});
