// Helpers for driving the ImGui admin in a browser page through its test hook
// (window.__adminTest, see admin-wasm/README.md) and for reading its pixels.
import assert from 'node:assert/strict';

/// Generous: the page renders through SwiftShader (WebGL on the CPU) in Chromium's GPU process,
/// and on a loaded 2-core CI machine that process has been seen to stop delivering frames for
/// more than 30 s (the page's JavaScript still answering) before carrying on.
export const FRAME_TIMEOUT = 60000;

/// Waits until the app has rendered at least `minFrame` frames and `predicate(state)` holds;
/// returns the hook of that frame.
export async function waitForHook(page, minFrame, predicate = 'true', timeout = FRAME_TIMEOUT) {
	try {
		await page.waitForFunction(
			`window.__adminTest && window.__adminTest.frame >= ${minFrame} && ((state) => ${predicate})(window.__adminTest.state)`,
			null, { timeout, polling: 50 });
	} catch (e) {
		// Say what the app looked like instead: a bare timeout tells nothing about why.
		const hook = await page.evaluate(() => window.__adminTest).catch(() => undefined);
		const later = await page.evaluate(() => new Promise((done) => setTimeout(() => done({
			frame: window.__adminTest?.frame, visibility: document.visibilityState, focus: document.hasFocus() }), 1000)))
			.catch((err) => String(err));
		throw new Error(`${e.message}\nwaiting for: frame >= ${minFrame} && ${predicate}\nframe then: ${hook?.frame}, `
			+ `one second later: ${JSON.stringify(later)}\nlast hook: ${JSON.stringify(hook?.state)?.slice(0, 6000)}`,
			{ cause: e });
	}
	return page.evaluate(() => window.__adminTest);
}

export async function hookNow(page) {
	return page.evaluate(() => window.__adminTest);
}

/// Clicks the centre of a widget published by the test hook (rectangles are canvas CSS pixels).
/// ImGui polls the mouse once per frame: move, then hold the button across frames.
export async function clickWidget(page, name) {
	const hook = await hookNow(page);
	const r = hook.widgets[name];
	assert.ok(r, `widget ${name} is not on screen; widgets: ${Object.keys(hook.widgets).join(', ')}`);
	const box = await page.locator('#canvas').boundingBox();
	await page.mouse.move(box.x + (r[0] + r[2]) / 2, box.y + (r[1] + r[3]) / 2);
	await waitForHook(page, hook.frame + 2);
	await page.mouse.down();
	await waitForHook(page, hook.frame + 4);
	await page.mouse.up();
	return waitForHook(page, hook.frame + 6);
}

/// Presses a key long enough for ImGui's once-per-frame polling to see it (held across two
/// frames), then lets two frames pass. On a slow machine a hold may outlast ImGui's key-repeat
/// delay: tests check where the focus went (hook.focused) instead of counting presses.
export async function pressKey(page, key) {
	const hook = await hookNow(page);
	await page.keyboard.down(key);
	await waitForHook(page, hook.frame + 2);
	await page.keyboard.up(key);
	return waitForHook(page, hook.frame + 4);
}

/// Moves keyboard focus with ArrowUp/ArrowDown through `order` (widget names top to bottom)
/// until `name` has it. A slow frame can turn one press into several (ImGui's key repeat), so
/// the direction is chosen again after every press.
export async function focusWithArrows(page, order, name, max = 16) {
	const target = order.indexOf(name);
	assert.ok(target >= 0, `${name} is not in ${order}`);
	let hook = await hookNow(page);
	for (let i = 0; i < max && hook.focused !== name; ++i) {
		const at = order.indexOf(hook.focused);
		hook = await pressKey(page, at >= 0 && at > target ? 'ArrowUp' : 'ArrowDown');
	}
	assert.equal(hook.focused, name, `the arrow keys did not reach ${name}`);
	return hook;
}

/// Decodes a PNG with the browser itself and analyses the rectangle `rect` (CSS pixels, times
/// `scale`): its background (most common colour) and its "ink", the pixels whose luminance
/// differs from the background by more than 60 of 255.
export async function inkAnalysis(browser, png, rect, scale = 1) {
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
			const x0 = Math.floor(rect[0] * scale), y0 = Math.floor(rect[1] * scale);
			const w = Math.max(1, Math.ceil(rect[2] * scale) - x0), h = Math.max(1, Math.ceil(rect[3] * scale) - y0);
			const d = g.getImageData(x0, y0, w, h).data;
			const lum = (i) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2];
			const counts = new Map();
			for (let i = 0; i < d.length; i += 4) {
				const key = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
				counts.set(key, (counts.get(key) || 0) + 1);
			}
			let bg = 0, best = -1;
			for (const [k, n] of counts) if (n > best) { best = n; bg = k; }
			const bgLum = 0.299 * (bg >> 16) + 0.587 * ((bg >> 8) & 255) + 0.114 * (bg & 255);
			const rows = [];
			let inkPixels = 0, minX = w, minY = h, maxX = -1, maxY = -1;
			const columns = new Set();
			for (let y = 0; y < h; ++y) {
				let row = '';
				for (let x = 0; x < w; ++x) {
					const ink = Math.abs(lum((y * w + x) * 4) - bgLum) > 60;
					row += ink ? '#' : '.';
					if (ink) {
						++inkPixels;
						columns.add(x);
						minX = Math.min(minX, x); maxX = Math.max(maxX, x);
						minY = Math.min(minY, y); maxY = Math.max(maxY, y);
					}
				}
				rows.push(row);
			}
			// The ink cropped to its bounding box: the glyphs' shape, independent of position.
			const shape = maxX < 0 ? '' : rows.slice(minY, maxY + 1).map((r) => r.slice(minX, maxX + 1)).join('\n');
			return { width: w, height: h, background: bg, distinctColours: counts.size, inkPixels,
				inkColumns: columns.size, inkWidth: maxX < 0 ? 0 : maxX - minX + 1, inkHeight: maxY < 0 ? 0 : maxY - minY + 1, shape };
		}, { b64: png.toString('base64'), rect, scale });
	} finally {
		await page.close();
	}
}
