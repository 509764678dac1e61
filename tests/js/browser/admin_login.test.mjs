// The admin in password mode (docs/SECURITY.md), through the real service with
// server.require_admin_password and a password set by --set-admin-password: the HTML login form
// lets the page load, the top bar's Log out ends the session, the admin's own login screen shows
// a wrong password next to the field and logs in again (the requests that met the 401 resume),
// a mutation then passes with the session's X-CSRF-Token, and repeated failures show the lockout
// (429 Retry-After). Screenshots of the login screen go to the artifacts dir.
// Run by ctest (browser.admin_login) with CCC_BINARY, CCC_ADMIN_DIR and CCC_ARTIFACTS_DIR.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { clickWidget, hookNow, waitForHook } from './admin_page.mjs';
import { ServiceProcess, artifactsDir, launchChromium } from './service.mjs';

const PASSWORD = 'correct-horse-battery';

const CONFIG = `
server:
  host: 127.0.0.1
  port: \${PORT}
  require_admin_password: true
endpoints:
  - name: primary
    url: https://api.anthropic.com
    endpoint_type: anthropic
    auth_type: api_key
    auth_value: sk-ant-api03-abcdefghijklmnopqrstuvwxyz0123456789
`;

/// Types into the focused ImGui text field (characters are queued, so no per-key frame waits).
async function typeInto(page, widget, text) {
	await clickWidget(page, widget);
	await page.keyboard.type(text, { delay: 20 });
	const hook = await hookNow(page);
	return waitForHook(page, hook.frame + 3);
}

describe('admin login', () => {
	let service;
	let browser;

	before(async () => {
		service = new ServiceProcess(CONFIG);
		await service.start({ adminPassword: PASSWORD });
		browser = await launchChromium();
	});

	after(async () => {
		if (browser)
			await browser.close();
		if (service)
			await service.stop();
	});

	test('log in, log out, wrong password, log in through the admin, mutate, lockout', async () => {
		const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: 'dark' });
		const page = await context.newPage();
		const problems = [];
		page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
		const mutations = [];
		page.on('request', (r) => {
			if (r.method() !== 'GET')
				mutations.push({ path: new URL(r.url()).pathname, headers: r.headers() });
		});
		try {
			// Without a session the admin page redirects to the plain HTML form.
			await page.goto(`${service.baseUrl}/admin/`);
			assert.equal(new URL(page.url()).pathname, '/admin/login');
			await page.fill('#password', PASSWORD);
			await Promise.all([page.waitForURL(`${service.baseUrl}/admin/`), page.click('button[type=submit]')]);

			// The admin learns the mode and its CSRF token from GET /admin/api/session.
			let hook = await waitForHook(page, 3,
				'state.session.mode === "password" && state.session.authenticated && state.session.csrf && state.dashboard.summary_state === "loaded"');
			assert.equal(hook.state.session.login_required, false);
			assert.ok(hook.widgets['top.logout'], 'no Log out button in the top bar');

			// Log out: the admin's own login screen replaces the panels.
			hook = await clickWidget(page, 'top.logout');
			hook = await waitForHook(page, hook.frame, 'state.session.login_required === true');
			hook = await waitForHook(page, hook.frame + 2, 'window.__adminTest.widgets["login.password"] !== undefined');
			assert.equal(hook.widgets['nav.dashboard'], undefined, 'the panels are still drawn');
			assert.equal(hook.widgets['top.logout'], undefined);
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_login.png') });

			// Something asks the service meanwhile: it meets a 401 and waits for the login.
			const loads = hook.state.dashboard.summary_loads;
			const cookies = await context.cookies();
			assert.equal(cookies.find((c) => c.name === 'ccc_session'), undefined, 'the session cookie is still set');

			// A wrong password: the error shows under the field, the screen stays.
			await typeInto(page, 'login.password', 'not-the-password');
			hook = await clickWidget(page, 'login.submit');
			hook = await waitForHook(page, hook.frame, 'state.session.login_state === "failed"');
			assert.equal(hook.state.session.login_error, 'wrong password');
			assert.equal(hook.state.session.login_required, true);
			hook = await waitForHook(page, hook.frame + 2, 'window.__adminTest.widgets["login.error"] !== undefined');
			const field = hook.widgets['login.password'];
			const error = hook.widgets['login.error'];
			assert.ok(error[1] >= field[3] - 1 && error[1] - field[3] < 40, `the error is not right under the field: ${field} / ${error}`);
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_login_error.png') });

			// The right password: the panels come back, held requests resume.
			await typeInto(page, 'login.password', PASSWORD);
			hook = await clickWidget(page, 'login.submit');
			hook = await waitForHook(page, hook.frame,
				`state.session.login_required === false && state.session.logins === 1 && state.session.held_requests === 0`);
			assert.ok(hook.state.session.csrf);
			hook = await waitForHook(page, hook.frame + 2, 'window.__adminTest.widgets["nav.dashboard"] !== undefined');
			hook = await waitForHook(page, hook.frame,
				`state.dashboard.summary_state === "loaded" && state.dashboard.summary_loads >= ${loads}`);

			// A mutation: reset the endpoint's status from its dashboard card.
			hook = await waitForHook(page, hook.frame, 'window.__adminTest.widgets["dashboard.card.0.reset"] !== undefined');
			const id = hook.state.dashboard.cards[0].id;
			hook = await clickWidget(page, 'dashboard.card.0.reset');
			hook = await waitForHook(page, hook.frame, `state.resets[${JSON.stringify(id)}]?.state === "loaded"`);
			assert.equal(hook.state.resets[id].error, '');
			const reset = mutations.find((m) => m.path.endsWith('/reset-status'));
			assert.ok(reset, JSON.stringify(mutations));
			assert.ok(reset.headers['x-csrf-token'], 'the mutation carried no X-CSRF-Token');

			// Lockout: five failures within 15 minutes lock this address out (429 Retry-After); the
			// successful login above cleared the earlier failure.
			hook = await clickWidget(page, 'top.logout');
			await waitForHook(page, hook.frame, 'state.session.login_required === true && window.__adminTest.widgets["login.password"] !== undefined');
			for (let i = 0; i < 5; ++i) {
				await typeInto(page, 'login.password', `wrong-${i}`);
				const attempts = (await hookNow(page)).state.session.login_attempts;
				hook = await clickWidget(page, 'login.submit');
				hook = await waitForHook(page, hook.frame, `state.session.login_attempts > ${attempts}`, 60000);
				assert.equal(hook.state.session.login_state, 'failed');
			}
			hook = await waitForHook(page, hook.frame, 'state.session.lockout_s > 0');
			assert.ok(hook.state.session.lockout_s > 200 && hook.state.session.lockout_s <= 300, JSON.stringify(hook.state.session));
			assert.match(hook.state.session.login_error, /too many failed logins/);
			hook = await waitForHook(page, hook.frame + 2, 'window.__adminTest.widgets["login.error"] !== undefined');
			await page.screenshot({ path: path.join(artifactsDir(), 'admin_login_lockout.png') });
			assert.deepEqual(problems, []);
		} finally {
			await context.close();
		}
	});
});
