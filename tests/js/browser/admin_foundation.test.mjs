// The admin foundation in a real browser (issue #2): the service serves the wasm admin at
// /admin/, the page fetches the loaded config from /admin/api/config and validates it in the
// browser with shared/'s configFromJson + validate, and ImGui renders the result.
// Run by ctest (browser.admin_foundation) with CCC_BINARY, CCC_ADMIN_DIR and CCC_ARTIFACTS_DIR.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { ServiceProcess, artifactsDir, launchChromium } from './service.mjs';

// Two endpoints; the second one triggers exactly one validation warning (enhanced_protection
// only applies to api.anthropic.com) and no errors. Secrets are masked by the API on the way out.
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
    priority: 1
  - name: backup-relay
    url: https://relay.example.com
    endpoint_type: anthropic
    auth_type: auth_token
    auth_value: relay-token-abcdefghijklmnopqrstuvwxyz
    priority: 2
    enhanced_protection: true
`;

const FRAME_TIMEOUT = 60000; // as admin_page.mjs: SwiftShader frames can stall on a loaded machine

/// Waits until the app has rendered at least `minFrame` frames and `predicate(state)` holds.
async function waitForHook(page, minFrame, predicate = 'true') {
	await page.waitForFunction(
		`window.__adminTest && window.__adminTest.frame >= ${minFrame} && ((state) => ${predicate})(window.__adminTest.state)`,
		null, { timeout: FRAME_TIMEOUT, polling: 50 });
	return page.evaluate(() => window.__adminTest);
}

/// Clicks the centre of a widget published by the test hook (rectangles are canvas CSS pixels).
async function clickWidget(page, name) {
	const hook = await page.evaluate(() => window.__adminTest);
	const r = hook.widgets[name];
	assert.ok(r, `widget ${name} is not on screen; widgets: ${Object.keys(hook.widgets).join(', ')}`);
	const box = await page.locator('#canvas').boundingBox();
	const x = box.x + (r[0] + r[2]) / 2;
	const y = box.y + (r[1] + r[3]) / 2;
	// ImGui polls the mouse once per frame: move, then hold the button across frames.
	await page.mouse.move(x, y);
	await waitForHook(page, hook.frame + 2);
	await page.mouse.down();
	await waitForHook(page, hook.frame + 4);
	await page.mouse.up();
	return waitForHook(page, hook.frame + 6);
}

/// Decodes a PNG with the browser itself and returns colour statistics for the whole image and
/// for an optional rectangle (CSS pixels * scale).
async function pixelStats(browser, png, rect = null, scale = 1) {
	const page = await browser.newPage();
	try {
		return await page.evaluate(async ({ b64, rect, scale }) => {
			const img = new Image();
			img.src = `data:image/png;base64,${b64}`;
			await img.decode();
			const c = document.createElement('canvas');
			c.width = img.width;
			c.height = img.height;
			const g = c.getContext('2d');
			g.drawImage(img, 0, 0);
			const stats = (x, y, w, h) => {
				const d = g.getImageData(x, y, w, h).data;
				const counts = new Map();
				for (let i = 0; i < d.length; i += 4) {
					const key = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
					counts.set(key, (counts.get(key) || 0) + 1);
				}
				const top = Math.max(...counts.values());
				return { pixels: d.length / 4, distinct: counts.size, dominantShare: top / (d.length / 4),
					colours: [...counts.keys()] };
			};
			const whole = stats(0, 0, img.width, img.height);
			delete whole.colours;
			let region = null;
			if (rect) {
				const x0 = Math.floor(rect[0] * scale), y0 = Math.floor(rect[1] * scale);
				const x1 = Math.ceil(rect[2] * scale), y1 = Math.ceil(rect[3] * scale);
				region = stats(x0, y0, Math.max(1, x1 - x0), Math.max(1, y1 - y0));
			}
			return { width: img.width, height: img.height, whole, region };
		}, { b64: png.toString('base64'), rect, scale });
	} finally {
		await page.close();
	}
}

describe('admin foundation', () => {
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

	test('/admin redirects to /admin/ and the assets are served with their MIME types', async () => {
		const redirect = await fetch(`${service.baseUrl}/admin`, { redirect: 'manual' });
		assert.ok([301, 302, 307, 308].includes(redirect.status), `status ${redirect.status}`);
		assert.equal(new URL(redirect.headers.get('location'), service.baseUrl).pathname, '/admin/');

		const expected = { '': 'text/html', 'admin.js': 'text/javascript', 'admin.wasm': 'application/wasm' };
		let total = 0;
		for (const [file, mime] of Object.entries(expected)) {
			const res = await fetch(`${service.baseUrl}/admin/${file}`, { headers: { 'accept-encoding': 'identity' } });
			assert.equal(res.status, 200, `/admin/${file}`);
			assert.ok(res.headers.get('content-type').startsWith(mime), `/admin/${file}: ${res.headers.get('content-type')}`);
			const body = Buffer.from(await res.arrayBuffer());
			if (file)
				total += body.length;
		}
		// Issue #8's first-load budget: wasm + js <= 1.5 MB uncompressed.
		assert.ok(total <= 1.5 * 1024 * 1024, `admin.js + admin.wasm = ${total} bytes`);
	});

	test('the page validates the loaded config in the browser and renders it', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, colorScheme: 'dark' });
		const page = await context.newPage();
		const problems = [];
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
		try {
			const response = await page.goto(`${service.baseUrl}/admin/`);
			assert.equal(response.status(), 200);
			let hook = await waitForHook(page, 3, 'state.config_state === "loaded"');
			assert.equal(hook.state.theme, 'dark', 'the theme follows prefers-color-scheme');
			hook = await clickWidget(page, 'nav.settings');
			assert.equal(hook.state.panel, 'settings');
			const s = hook.state;
			assert.equal(s.loaded, true);
			assert.equal(s.load_error, '');
			assert.equal(s.config_path, service.configPath);
			assert.deepEqual(s.endpoints, ['primary', 'backup-relay']);
			assert.equal(s.errors, 0, JSON.stringify(s.findings));
			assert.equal(s.warnings, 1, JSON.stringify(s.findings));
			assert.equal(s.valid, true);
			assert.deepEqual(s.findings, [{ severity: 'warning', path: 'endpoints[1].enhanced_protection',
				message: 'only applies to api.anthropic.com endpoints' }]);
			assert.equal(s.summary, 'configuration valid: 2 endpoints, 1 warning');

			// Drawn, not just computed: each finding and endpoint row is on screen.
			for (const name of ['nav.settings', 'settings.summary', 'settings.reload', 'settings.finding.0', 'settings.values'])
				assert.ok(hook.widgets[name], `widget ${name} missing: ${Object.keys(hook.widgets).join(', ')}`);
			assert.deepEqual([hook.canvas.css_width, hook.canvas.css_height], [1280, 800]);

			// The frame loop keeps running.
			hook = await waitForHook(page, hook.frame + 5);

			// Input reaches ImGui at the right coordinates: hiding warnings removes the finding row,
			// Reload fetches the config again.
			hook = await clickWidget(page, 'settings.show_warnings');
			assert.equal(hook.widgets['settings.finding.0'], undefined, 'warning row still shown after unticking');
			hook = await clickWidget(page, 'settings.show_warnings');
			assert.ok(hook.widgets['settings.finding.0'], 'warning row not shown again');
			// (Opening Settings reloaded the config once already.)
			hook = await waitForHook(page, 0, 'state.config_state === "loaded"');
			const loads = hook.state.loads_completed;
			await clickWidget(page, 'settings.reload');
			hook = await waitForHook(page, 0, `state.loads_completed > ${loads} && state.config_state === "loaded"`);
			assert.equal(hook.state.summary, 'configuration valid: 2 endpoints, 1 warning');

			// Pixels: the UI rendered (not one flat colour), and the summary line has text in it.
			const png = await page.screenshot({ path: path.join(artifactsDir(), 'admin_foundation.png') });
			const px = await pixelStats(browser, png, hook.widgets['settings.summary']);
			assert.equal(px.width, 1280);
			assert.ok(px.whole.distinct >= 8, `only ${px.whole.distinct} colours on screen`);
			assert.ok(px.whole.dominantShare < 0.97, `one colour covers ${(px.whole.dominantShare * 100).toFixed(1)}%`);
			assert.ok(px.region.distinct >= 2, 'the summary line is blank');
			// The summary is drawn in the warning colour (ImVec4(0.95, 0.75, 0.30)).
			const warm = px.region.colours.some((c) => {
				const r = c >> 16, g = (c >> 8) & 255, b = c & 255;
				return Math.abs(r - 242) < 30 && Math.abs(g - 191) < 30 && Math.abs(b - 77) < 30;
			});
			assert.ok(warm, 'no warning-coloured text in the summary line');
			assert.deepEqual(problems, []);
		} finally {
			await context.close();
		}
	});

	test('HiDPI: the backing store follows devicePixelRatio', async () => {
		const context = await browser.newContext({ viewport: { width: 800, height: 600 }, deviceScaleFactor: 2 });
		const page = await context.newPage();
		try {
			await page.goto(`${service.baseUrl}/admin/`);
			const hook = await waitForHook(page, 3, 'state.config_state === "loaded"');
			assert.deepEqual(hook.canvas, { css_width: 800, css_height: 600, pixel_ratio: 2, fb_width: 1600, fb_height: 1200 });
			const size = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
			assert.deepEqual(size, [1600, 1200]);
			// Widget rectangles stay in CSS pixels.
			const r = hook.widgets['nav.settings'];
			assert.ok(r && r[2] <= 800 && r[3] <= 600, JSON.stringify(r));
			const png = await page.screenshot({ path: path.join(artifactsDir(), 'admin_foundation_hidpi.png') });
			const px = await pixelStats(browser, png);
			assert.equal(px.width, 1600);
			assert.ok(px.whole.distinct >= 8, `only ${px.whole.distinct} colours on screen`);
		} finally {
			await context.close();
		}
	});

	test('an invalid config is diagnosed by the browser itself, with key paths', async () => {
		// The service refuses to start with an invalid config, so hand the page one directly: the
		// findings below can only come from shared/'s mapping and validation running in wasm.
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
		const page = await context.newPage();
		try {
			const config = {
				endpoints: [
					{ name: 'ok', url: 'https://api.anthropic.com', auth_type: 'api_key', auth_value: 'sk-a********yz' },
					{ name: 'broken', url: 'https://relay.example.com', auth_type: 'password', auth_value: 'x', priority: 'high' },
				],
				no_such_section: { a: 1 },
			};
			await page.route('**/admin/api/config', (route) => route.fulfill({ status: 200,
				contentType: 'application/json', body: JSON.stringify({ path: '/etc/ccc/config.yaml', config }) }));
			await page.goto(`${service.baseUrl}/admin/`);
			await waitForHook(page, 3, 'state.config_state === "loaded"');
			const hook = await clickWidget(page, 'nav.settings');
			const s = hook.state;
			assert.equal(s.valid, false);
			assert.deepEqual(s.endpoints, ['ok', 'broken']);
			const find = (path) => s.findings.find((f) => f.path === path);
			assert.equal(find('endpoints[1].auth_type')?.severity, 'error', JSON.stringify(s.findings));
			assert.match(find('endpoints[1].auth_type').message, /^must be one of api_key, auth_token, oauth/);
			assert.equal(find('endpoints[1].priority')?.severity, 'error', JSON.stringify(s.findings));
			assert.equal(find('no_such_section')?.severity, 'warning', JSON.stringify(s.findings));
			assert.equal(s.errors, s.findings.filter((f) => f.severity === 'error').length);
			assert.ok(s.summary.startsWith(`${s.errors} error`), s.summary);
			for (let i = 0; i < s.findings.length; ++i)
				assert.ok(hook.widgets[`settings.finding.${i}`], `finding ${i} not drawn`);
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_foundation_invalid.png') });
		} finally {
			await context.close();
		}
	});

	test('API errors and an unreachable service are shown, not hidden', async () => {
		const context = await browser.newContext({ viewport: { width: 1024, height: 700 } });
		const page = await context.newPage();
		try {
			await page.route('**/admin/api/config', (route) => route.fulfill({ status: 500,
				contentType: 'application/json', body: JSON.stringify({ error: 'config store unavailable' }) }));
			await page.goto(`${service.baseUrl}/admin/`);
			let hook = await waitForHook(page, 3, 'state.config_state === "failed"');
			await clickWidget(page, 'nav.settings');
			// Opening Settings reloads the config: it fails the same way.
			hook = await waitForHook(page, 0, 'state.loads_completed >= 2 && state.config_state === "failed"');
			assert.equal(hook.state.loaded, false);
			assert.equal(hook.state.load_error, 'HTTP 500: config store unavailable');
			assert.ok(hook.widgets['settings.status'], 'the error is not drawn');

			// No answer at all (connection refused, service down): status 0 from emscripten_fetch.
			await page.unroute('**/admin/api/config');
			await page.route('**/admin/api/config', (route) => route.abort('connectionrefused'));
			const loads = hook.state.loads_completed;
			await clickWidget(page, 'settings.reload');
			hook = await waitForHook(page, 0, `state.loads_completed > ${loads} && state.config_state === "failed"`);
			assert.match(hook.state.load_error, /^service unreachable/);
			assert.ok(hook.widgets['settings.status'], 'the error is not drawn');
		} finally {
			await context.close();
		}
	});
});
