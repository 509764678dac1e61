// Test support for browser tests: runs the real claude-code-companion binary on a free port with
// a config written into a fresh temporary directory, and launches Debian's Chromium headless
// through playwright-core. Missing prerequisites are failures, never skips: a browser test that
// silently does not run proves nothing.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export function requireEnvFile(name) {
	const value = process.env[name];
	if (!value)
		throw new Error(`environment variable ${name} is not set (ctest sets it; see tests/CMakeLists.txt)`);
	if (!fs.existsSync(value))
		throw new Error(`${name}=${value} does not exist (build first: cmake --build <build dir>)`);
	return value;
}

export function artifactsDir() {
	const dir = process.env.CCC_ARTIFACTS_DIR || path.resolve(import.meta.dirname ?? '.', '../artifacts');
	fs.mkdirSync(dir, { recursive: true });
	return dir;
}

export async function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.once('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/// The real service. `configYaml` may contain ${PORT}, replaced by the chosen port.
export class ServiceProcess {
	constructor(configYaml) {
		this.configYaml = configYaml;
		this.output = '';
		this.child = null;
	}

	get baseUrl() { return `http://127.0.0.1:${this.port}`; }

	/// `adminPassword`: set with the binary's --set-admin-password before the start (the config
	/// then needs server.require_admin_password: true for the password mode on loopback).
	async start({ timeoutMs = 15000, adminPassword } = {}) {
		const binary = requireEnvFile('CCC_BINARY');
		const adminDir = requireEnvFile('CCC_ADMIN_DIR');
		this.port = await freePort();
		this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ccc-browser-'));
		this.configPath = path.join(this.dir, 'config.yaml');
		fs.writeFileSync(this.configPath, this.configYaml.replaceAll('${PORT}', String(this.port)));
		if (adminPassword !== undefined)
			await setAdminPassword(binary, this.configPath, adminPassword);
		this.child = spawn(binary, ['--config', this.configPath, '--port', String(this.port), '--admin-dir', adminDir],
			{ cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
		this.child.stdout.on('data', (d) => { this.output += d; });
		this.child.stderr.on('data', (d) => { this.output += d; });
		const exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
		this.exited = exited;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			const done = await Promise.race([exited, sleep(100).then(() => null)]);
			if (done)
				throw new Error(`service exited early (${JSON.stringify(done)}):\n${this.output}`);
			try {
				const res = await fetch(`${this.baseUrl}/healthz`);
				if (res.ok)
					return;
			} catch {
				// not listening yet
			}
		}
		throw new Error(`service did not answer /healthz within ${timeoutMs} ms:\n${this.output}`);
	}

	async stop() {
		if (this.child && this.child.exitCode === null && this.child.signalCode === null) {
			this.child.kill('SIGTERM');
			const done = await Promise.race([this.exited, sleep(5000).then(() => null)]);
			if (!done) {
				this.child.kill('SIGKILL');
				await this.exited;
			}
		}
		if (this.dir)
			fs.rmSync(this.dir, { recursive: true, force: true });
	}
}

/// Runs `claude-code-companion --set-admin-password --config <path>` with the password on stdin.
async function setAdminPassword(binary, configPath, password) {
	const child = spawn(binary, ['--set-admin-password', '--config', configPath], { stdio: ['pipe', 'pipe', 'pipe'] });
	let output = '';
	child.stdout.on('data', (d) => { output += d; });
	child.stderr.on('data', (d) => { output += d; });
	const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
	child.stdin.end(`${password}\n`);
	const code = await exited;
	if (code !== 0)
		throw new Error(`--set-admin-password failed (${code}):\n${output}`);
}

/// Flags that work for Debian's Chromium as root on a machine without GPU (WebGL via SwiftShader).
/// Not --use-gl=swiftshader nor --disable-software-rasterizer: both break WebGL.
export const CHROMIUM_ARGS = [
	'--no-sandbox', '--disable-gpu', '--enable-unsafe-swiftshader', '--disable-quic', '--no-first-run',
	'--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/// Launches headless Chromium. playwright-core's launch() always starts it with a fresh temporary
/// --user-data-dir of its own (removed on close), so no profile state leaks between runs.
export async function launchChromium() {
	const executablePath = process.env.CCC_CHROMIUM || '/usr/bin/chromium';
	if (!fs.existsSync(executablePath))
		throw new Error(`Chromium not found at ${executablePath}: install Debian's chromium (scripts/deps.sh test)`);
	let playwright;
	try {
		playwright = await import('playwright-core');
	} catch (e) {
		throw new Error(`playwright-core is not installed in tests/js/node_modules (run scripts/js-deps.sh): ${e.message}`);
	}
	return playwright.chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60000 });
}
