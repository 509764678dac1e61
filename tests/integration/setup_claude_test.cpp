// Setting up Claude Code: `claude-code-companion setup-claude` against a temporary HOME, and the
// help page GET / with its launcher scripts.
#include <dirent.h>
#include <regex>
#include <string>
#include <sys/stat.h>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "RunWithInput.h"
#include "ServiceProcess.h"

using namespace ccc::test;
using ojson = nlohmann::ordered_json;

namespace
{

std::vector<std::string> backups(const std::string & dir)
{
	std::vector<std::string> out;
	if (DIR * d = ::opendir(dir.c_str()))
	{
		while (dirent * e = ::readdir(d))
			if (std::string(e->d_name).rfind("settings.json.backup-", 0) == 0)
				out.push_back(e->d_name);
		::closedir(d);
	}
	return out;
}

bool exists(const std::string & path)
{
	struct stat st{};
	return ::stat(path.c_str(), &st) == 0;
}

} // namespace

TEST(SetupClaude, WritesTheEnvKeepingEverythingElseAfterABackup)
{
	TempDir home, work;
	work.write("config.yaml", "server:\n  host: 0.0.0.0\n  port: 9123\n  client_tokens: [tok-first, tok-second]\n");
	::mkdir(home.file(".claude").c_str(), 0700);
	const std::string original = "{\n  \"model\": \"opus\",\n  \"env\": {\"FOO\": \"bar\", \"ANTHROPIC_BASE_URL\": \"http://old:1\"},\n"
								 "  \"permissions\": {\"allow\": [\"Bash(ls:*)\"]},\n  \"unicode\": \"caf\u00e9 \u6f22\"\n}\n";
	home.write(".claude/settings.json", original);
	::chmod(home.file(".claude/settings.json").c_str(), 0640);
	const std::map<std::string, std::string> env = {{"HOME", home.path()}};

	RunResult r = runBinaryWithInput({"setup-claude", "--config", "config.yaml"}, "", env, work.path());
	ASSERT_EQ(r.exitCode, 0) << r.err << r.out;
	EXPECT_NE(r.out.find("http://127.0.0.1:9123"), std::string::npos) << r.out;
	ojson s = ojson::parse(home.read(".claude/settings.json"));
	std::vector<std::string> keys;
	for (const auto & [k, v] : s.items())
		keys.push_back(k);
	EXPECT_EQ(keys, (std::vector<std::string>{"model", "env", "permissions", "unicode"}));
	EXPECT_EQ(s["model"], "opus");
	EXPECT_EQ(s["permissions"]["allow"][0], "Bash(ls:*)");
	EXPECT_EQ(s["unicode"], "caf\u00e9 \u6f22");
	EXPECT_EQ(s["env"]["FOO"], "bar");
	EXPECT_EQ(s["env"]["ANTHROPIC_BASE_URL"], "http://127.0.0.1:9123");
	EXPECT_EQ(s["env"]["ANTHROPIC_AUTH_TOKEN"], "tok-first");
	EXPECT_EQ(s["env"]["API_TIMEOUT_MS"], "600000");
	EXPECT_EQ(s["env"]["CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"], "1");
	struct stat st{};
	ASSERT_EQ(::stat(home.file(".claude/settings.json").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0640u); // permissions kept
	const auto made = backups(home.file(".claude"));
	ASSERT_EQ(made.size(), 1u);
	EXPECT_TRUE(std::regex_match(made[0], std::regex(R"(settings\.json\.backup-\d{8}-\d{6})"))) << made[0];
	EXPECT_EQ(home.read(".claude/" + made[0]), original);

	// Again: nothing to change, no second backup.
	const std::string after = home.read(".claude/settings.json");
	r = runBinaryWithInput({"setup-claude", "--config=config.yaml"}, "", env, work.path());
	ASSERT_EQ(r.exitCode, 0) << r.err;
	EXPECT_NE(r.out.find("nothing to do"), std::string::npos) << r.out;
	EXPECT_EQ(home.read(".claude/settings.json"), after);
	EXPECT_EQ(backups(home.file(".claude")).size(), 1u);

	// --url and --token win over the config.
	r = runBinaryWithInput({"setup-claude", "--url", "https://proxy.example:8443/", "--token=tok-cli", "--config=config.yaml"}, "", env, work.path());
	ASSERT_EQ(r.exitCode, 0) << r.err;
	s = ojson::parse(home.read(".claude/settings.json"));
	EXPECT_EQ(s["env"]["ANTHROPIC_BASE_URL"], "https://proxy.example:8443");
	EXPECT_EQ(s["env"]["ANTHROPIC_AUTH_TOKEN"], "tok-cli");
	EXPECT_EQ(s["env"]["FOO"], "bar");
}

TEST(SetupClaude, DryRunCreatesNothingAndAFreshHomeGetsAPrivateFile)
{
	TempDir home, work;
	const std::map<std::string, std::string> env = {{"HOME", home.path()}};
	// No config: the default address, any token.
	RunResult r = runBinaryWithInput({"setup-claude", "--dry-run"}, "", env, work.path());
	ASSERT_EQ(r.exitCode, 0) << r.err;
	ojson printed = ojson::parse(r.out, nullptr, false);
	ASSERT_TRUE(printed.is_object()) << r.out;
	EXPECT_EQ(printed["env"]["ANTHROPIC_BASE_URL"], "http://127.0.0.1:8080");
	EXPECT_EQ(printed["env"]["ANTHROPIC_AUTH_TOKEN"], "claude-code-companion");
	EXPECT_FALSE(exists(home.file(".claude")));

	r = runBinaryWithInput({"setup-claude"}, "", env, work.path());
	ASSERT_EQ(r.exitCode, 0) << r.err;
	EXPECT_EQ(ojson::parse(home.read(".claude/settings.json")), printed);
	struct stat st{};
	ASSERT_EQ(::stat(home.file(".claude/settings.json").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 0777, 0600u);
	EXPECT_TRUE(backups(home.file(".claude")).empty());
}

TEST(SetupClaude, LeavesABrokenSettingsFileAlone)
{
	TempDir home, work;
	::mkdir(home.file(".claude").c_str(), 0700);
	for (const char * broken : {"{\"model\": \"opus\",", "[1, 2]", "{\"env\": \"not an object\"}"})
	{
		home.write(".claude/settings.json", broken);
		RunResult r = runBinaryWithInput({"setup-claude"}, "", {{"HOME", home.path()}}, work.path());
		EXPECT_EQ(r.exitCode, 1) << broken << r.out;
		EXPECT_NE(r.err.find("left as it is"), std::string::npos) << r.err;
		EXPECT_EQ(home.read(".claude/settings.json"), broken);
		EXPECT_TRUE(backups(home.file(".claude")).empty());
	}
	RunResult r = runBinaryWithInput({"setup-claude", "--bogus"}, "", {{"HOME", home.path()}}, work.path());
	EXPECT_NE(r.exitCode, 0);
	EXPECT_NE(r.err.find("usage"), std::string::npos) << r.err;
}

TEST(SetupClaude, HelpPageAndLauncherScripts)
{
	ServiceProcess svc("server:\n  host: 127.0.0.1\n  port: ${PORT}\n  client_tokens: [secret-client-token-123456]\n");
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string base = svc.baseUrl();

	HttpResult head = httpRequest(svc.port(), "HEAD", "/");
	EXPECT_EQ(head.status, 200);

	HttpResult page = httpRequest(svc.port(), "GET", "/");
	ASSERT_EQ(page.status, 200);
	EXPECT_NE(page.headers["content-type"].find("text/html"), std::string::npos);
	EXPECT_NE(page.body.find("Claude Code Setup Guide"), std::string::npos);
	for (const std::string & needle : {"ANTHROPIC_BASE_URL=&#39;" + base + "&#39;", std::string("API_TIMEOUT_MS"),
			 std::string("CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC"), std::string("setup-claude"), std::string("/setup/ccc.sh"),
			 std::string("/setup/ccc.command"), std::string("/setup/ccc.bat"), std::string("/setup/ccc.ps1"), std::string("YOUR_CLIENT_TOKEN")})
		EXPECT_NE(page.body.find(needle), std::string::npos) << needle;
	EXPECT_EQ(page.body.find("secret-client-token"), std::string::npos); // the page is public

	HttpResult sh = httpRequest(svc.port(), "GET", "/setup/ccc.sh");
	ASSERT_EQ(sh.status, 200);
	EXPECT_EQ(sh.headers["content-disposition"], "attachment; filename=\"ccc.sh\"");
	EXPECT_NE(sh.body.find("export ANTHROPIC_BASE_URL='" + base + "'\n"), std::string::npos) << sh.body;
	EXPECT_NE(sh.body.find("exec claude \"$@\""), std::string::npos);
	HttpResult bat = httpRequest(svc.port(), "GET", "/setup/ccc.bat");
	ASSERT_EQ(bat.status, 200);
	EXPECT_NE(bat.body.find("set \"ANTHROPIC_BASE_URL=" + base + "\"\r\n"), std::string::npos) << bat.body;
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/setup/ccc.ps1").status, 200);
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/setup/ccc.command").status, 200);
	EXPECT_EQ(httpRequest(svc.port(), "GET", "/setup/other.sh").status, 404);

	// A hostile Host header is not reflected: the listen address is used instead.
	HttpResult evil = httpRequest(svc.port(), "GET", "/", "", {{"Host", "x\"><script>alert(1)</script>"}});
	EXPECT_EQ(evil.status, 200);
	EXPECT_EQ(evil.body.find("<script>alert"), std::string::npos);
	EXPECT_NE(evil.body.find(base), std::string::npos);
	// Behind a TLS proxy the page shows https.
	HttpResult tls = httpRequest(svc.port(), "GET", "/setup/ccc.sh", "", {{"Host", "proxy.example"}, {"X-Forwarded-Proto", "https"}});
	EXPECT_NE(tls.body.find("export ANTHROPIC_BASE_URL='https://proxy.example'"), std::string::npos) << tls.body;
}
