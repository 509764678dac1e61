// The pure parts of access control, metrics and Claude Code set-up: loopback detection, password
// hashes, label escaping, YAML insertion of the hash and the launcher scripts.
#include <gtest/gtest.h>

#include "app/AdminPassword.h"
#include "ccc/config/yaml_config.h"
#include "http/AccessControl.h"
#include "http/ClaudeSetup.h"
#include "http/PasswordHash.h"
#include "metrics/Metrics.h"

using namespace ccc;

TEST(AccessControlUnit, LoopbackHosts)
{
	for (const char * h : {"127.0.0.1", "127.0.0.2", "127.255.0.9", "localhost", "LocalHost", "::1", "[::1]", "app.localhost"})
		EXPECT_TRUE(http::isLoopbackHost(h)) << h;
	for (const char * h : {"0.0.0.0", "::", "192.168.1.10", "10.0.0.1", "example.com", "", "localhost.example.com", "128.0.0.1"})
		EXPECT_FALSE(http::isLoopbackHost(h)) << h;
	for (const char * h : {"127.0.0.1:8080", "localhost:8080", "[::1]:8080", "[::1]", "localhost", "ui.localhost:1"})
		EXPECT_TRUE(http::isLoopbackHostHeader(h)) << h;
	for (const char * h : {"evil.example:8080", "192.168.1.10:8080", "", "[::1", "127.0.0.1.evil.example:80"})
		EXPECT_FALSE(http::isLoopbackHostHeader(h)) << h;
}

TEST(AccessControlUnit, StartupRefusalAndWarnings)
{
	config::Config c;
	EXPECT_EQ(http::AccessControl::startupRefusal(c), "");
	EXPECT_TRUE(http::AccessControl::startupWarnings(c).empty());
	c.server.host = "0.0.0.0";
	EXPECT_NE(http::AccessControl::startupRefusal(c).find("--set-admin-password"), std::string::npos);
	c.server.admin_password_hash = "pbkdf2$sha256$1000$c2FsdHNhbHQ$" + std::string(43, 'A');
	EXPECT_EQ(http::AccessControl::startupRefusal(c), "");
	ASSERT_EQ(http::AccessControl::startupWarnings(c).size(), 1u);
	c.server.client_tokens = {"t"};
	EXPECT_TRUE(http::AccessControl::startupWarnings(c).empty());
	c.server.admin_password_hash = "plain";
	EXPECT_NE(http::AccessControl::startupRefusal(c).find("not a hash"), std::string::npos);
}

TEST(AccessControlUnit, PasswordHashes)
{
	const std::string h = http::hashPassword("s3cret-password", 1000);
	EXPECT_EQ(h.rfind("pbkdf2$sha256$1000$", 0), 0u) << h;
	EXPECT_TRUE(http::isSupportedPasswordHash(h));
	EXPECT_TRUE(http::verifyPassword("s3cret-password", h));
	EXPECT_FALSE(http::verifyPassword("s3cret-passwore", h));
	EXPECT_FALSE(http::verifyPassword("", h));
	EXPECT_NE(http::hashPassword("s3cret-password", 1000), h); // a new salt every time
	// RFC 6070-style known answer for PBKDF2-HMAC-SHA256 ("password", "salt", 4096, 32 bytes).
	EXPECT_TRUE(http::verifyPassword("password", "pbkdf2$sha256$4096$c2FsdA$xeR41ZKIyEGqUw22hFxMjZYok6ABzk4RpJY4c6qYE0o"));
	// scrypt (RFC 7914 test vector 2: "password", "NaCl", N=1024, r=8, p=16, first 32 bytes).
	EXPECT_TRUE(http::verifyPassword("password", "scrypt$1024$8$16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWI"));
	EXPECT_FALSE(http::verifyPassword("passwore", "scrypt$1024$8$16$TmFDbA$/bq+HJ00cgB4VucZDQHp/nxq18vII3gw53N2Y0s3MWI"));
	for (const char * bad : {"", "plain", "pbkdf2$sha1$1000$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAA", "pbkdf2$sha256$10$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAA",
			 "pbkdf2$sha256$x$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAA", "pbkdf2$sha256$1000$c2Fs*A$AAAAAAAAAAAAAAAAAAAAAAAA", "scrypt$1$8$1$c2FsdA$AAAAAAAAAAAAAAAAAAAAAAAA"})
	{
		EXPECT_FALSE(http::isSupportedPasswordHash(bad)) << bad;
		EXPECT_FALSE(http::verifyPassword("x", bad)) << bad;
	}
	EXPECT_GE(http::randomToken().size(), 43u);
	EXPECT_NE(http::randomToken(), http::randomToken());
	EXPECT_TRUE(http::constantTimeEquals("abc", "abc"));
	EXPECT_FALSE(http::constantTimeEquals("abc", "abd"));
	EXPECT_FALSE(http::constantTimeEquals("abc", "abcd"));
}

TEST(AccessControlUnit, LabelEscaping)
{
	EXPECT_EQ(metrics::escapeLabelValue("plain"), "plain");
	EXPECT_EQ(metrics::escapeLabelValue("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

TEST(AccessControlUnit, PasswordHashGoesIntoTheServerMapping)
{
	std::string error;
	std::string text = "# top\nserver:\n    host: 127.0.0.1 # c\n    port: 9000\nendpoints: []\n";
	ASSERT_TRUE(app::setPasswordHashInYaml(text, "pbkdf2$x", error)) << error;
	EXPECT_EQ(text, "# top\nserver:\n    admin_password_hash: \"pbkdf2$x\"\n    host: 127.0.0.1 # c\n    port: 9000\nendpoints: []\n");
	// Present: replaced in place.
	ASSERT_TRUE(app::setPasswordHashInYaml(text, "pbkdf2$y", error)) << error;
	EXPECT_NE(text.find("    admin_password_hash: \"pbkdf2$y\"\n    host"), std::string::npos) << text;
	EXPECT_EQ(text.find("pbkdf2$x"), std::string::npos);
	// No server section: appended.
	text = "endpoints: []";
	ASSERT_TRUE(app::setPasswordHashInYaml(text, "h", error));
	EXPECT_EQ(config::loadConfigYaml(text).config.server.admin_password_hash, "h") << text;
	// Flow style: refused.
	text = "server: {host: 127.0.0.1}\n";
	EXPECT_FALSE(app::setPasswordHashInYaml(text, "h", error));
	EXPECT_NE(error.find("by hand"), std::string::npos);
}

TEST(AccessControlUnit, LauncherScripts)
{
	const std::string sh = http::launcherScript("sh", "http://127.0.0.1:8080", "tok");
	EXPECT_EQ(sh.rfind("#!/bin/sh\n", 0), 0u);
	EXPECT_NE(sh.find("export ANTHROPIC_BASE_URL='http://127.0.0.1:8080'\n"), std::string::npos);
	EXPECT_NE(sh.find("export ANTHROPIC_AUTH_TOKEN='tok'\n"), std::string::npos);
	EXPECT_NE(sh.find("export API_TIMEOUT_MS='600000'\n"), std::string::npos);
	EXPECT_NE(sh.find("export CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC='1'\n"), std::string::npos);
	EXPECT_NE(sh.find("exec claude \"$@\"\n"), std::string::npos);
	const std::string bat = http::launcherScript("bat", "http://h:1", "tok");
	EXPECT_NE(bat.find("set \"ANTHROPIC_BASE_URL=http://h:1\"\r\n"), std::string::npos);
	EXPECT_NE(bat.find("claude %*\r\n"), std::string::npos);
	const std::string ps1 = http::launcherScript("ps1", "http://h:1", "tok");
	EXPECT_NE(ps1.find("$env:API_TIMEOUT_MS = '600000'\r\n"), std::string::npos);
	EXPECT_NE(ps1.find("& claude @args"), std::string::npos);
	EXPECT_EQ(http::launcherScript("exe", "http://h:1", "tok"), "");
	EXPECT_EQ(http::baseUrlForListen("0.0.0.0", 8080), "http://127.0.0.1:8080");
	EXPECT_EQ(http::baseUrlForListen("::", 1), "http://[::1]:1");
	EXPECT_EQ(http::baseUrlForListen("fe80::1", 1), "http://[fe80::1]:1");
	EXPECT_EQ(http::baseUrlForListen("192.168.1.2", 80), "http://192.168.1.2:80");
	EXPECT_TRUE(http::isSafeHostHeader("127.0.0.1:8080"));
	EXPECT_TRUE(http::isSafeHostHeader("[::1]:8080"));
	EXPECT_FALSE(http::isSafeHostHeader("a'b"));
	EXPECT_FALSE(http::isSafeHostHeader("x\"><script>"));
	EXPECT_FALSE(http::isSafeHostHeader(""));
}
