// Per-endpoint outbound proxies (HTTP CONNECT and SOCKS5, with and without credentials) and TLS
// certificate verification, through the real binary: fake proxies and a TLS terminator tunnel to
// FakeUpstreams, and the request log tells why an attempt failed over.
#include <gtest/gtest.h>

#include <thread>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sqlite3.h>
#include <sstream>

#include <nlohmann/json.hpp>

#include "AnthropicFixtures.h"
#include "FakeTunnel.h"
#include "FakeUpstream.h"
#include "HttpStream.h"
#include "ServiceProcess.h"

using namespace ccc::test;

namespace
{

const std::string kBody = R"({"model":"claude-opus-4-8","max_tokens":1024,"stream":true,"messages":[{"role":"user","content":"hi"}]})";

struct Ep
{
	Ep(std::string n, std::string u, int p = 1, std::string x = "") : name(std::move(n)), url(std::move(u)), priority(p), extra(std::move(x)) { }
	std::string name;
	std::string url;
	int priority = 1;
	std::string extra; ///< more YAML lines for the endpoint, each indented by 4 spaces
};

std::string configFor(const std::vector<Ep> & eps)
{
	std::string y = "server:\n  host: 127.0.0.1\n  port: ${PORT}\nlogging:\n  log_directory: ${DIR}/logs\n  level: debug\n"
					"  log_request_body: full\n  log_response_body: full\n"
					"timeouts:\n  response_header: 5s\n  stream_idle: 5s\n  connect: 3s\n  tls_handshake: 3s\n"
					"failover:\n  retry_delay: 10ms\nendpoints:\n";
	for (const auto & e : eps)
		y += "  - name: " + e.name + "\n    url: " + e.url + "\n    auth_type: api_key\n    auth_value: sk-test-" + e.name + "\n    priority: "
			+ std::to_string(e.priority) + "\n" + e.extra;
	return y;
}

std::string proxyYaml(const std::string & type, const std::string & address, const std::string & user = "", const std::string & pass = "")
{
	std::string y = "    proxy:\n      type: " + type + "\n      address: \"" + address + "\"\n";
	if (!user.empty())
		y += "      username: " + user + "\n      password: " + pass + "\n";
	return y;
}

/// Waits (up to 3 s) until the endpoint has an idle pooled connection (GET /admin/api/endpoints).
bool waitForIdleConnection(const ServiceProcess & svc, const std::string & name)
{
	for (int i = 0; i < 300; ++i)
	{
		HttpResult r = httpRequest(svc.port(), "GET", "/admin/api/endpoints");
		auto j = nlohmann::json::parse(r.body, nullptr, false);
		if (j.is_object() && j["endpoints"].is_array())
			for (const auto & e : j["endpoints"])
				if (e.value("name", "") == name && e.value("idle_connections", 0) >= 1)
					return true;
		std::this_thread::sleep_for(std::chrono::milliseconds(10));
	}
	return false;
}

StreamedResponse post(const ServiceProcess & svc)
{
	return streamRequest(svc.port(), "POST", "/v1/messages", kBody,
		{{"content-type", "application/json"}, {"anthropic-version", "2023-06-01"}, {"x-api-key", "client-key"}}, 30000);
}

struct AttemptRow
{
	std::string endpoint;
	std::string outcome;
	std::string error;
};

/// The attempts of every stored request in order (stop the service first: it flushes the store).
std::vector<AttemptRow> attempts(const ServiceProcess & svc)
{
	std::vector<AttemptRow> out;
	sqlite3 * db = nullptr;
	if (sqlite3_open_v2(svc.dir().file("logs/logs.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
	{
		sqlite3_close(db);
		return out;
	}
	sqlite3_stmt * st = nullptr;
	if (sqlite3_prepare_v2(db, "SELECT endpoint_name, outcome, error FROM attempts ORDER BY id", -1, &st, nullptr) == SQLITE_OK)
		while (sqlite3_step(st) == SQLITE_ROW)
		{
			auto col = [&](int i) {
				const unsigned char * t = sqlite3_column_text(st, i);
				return t ? std::string(reinterpret_cast<const char *>(t)) : std::string();
			};
			out.push_back({col(0), col(1), col(2)});
		}
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

std::string attemptErrors(const std::vector<AttemptRow> & rows, const std::string & endpoint)
{
	std::string all;
	for (const auto & r : rows)
		if (r.endpoint == endpoint)
			all += r.outcome + ": " + r.error + "\n";
	return all;
}

std::string lower(std::string s)
{
	for (char & c : s)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return s;
}

/// Every file the service wrote (logs, the request store, its WAL) and its console output, but not
/// config.yaml, where the credentials legitimately live.
std::string everythingLogged(const ServiceProcess & svc)
{
	std::string all = svc.output();
	for (const auto & entry : std::filesystem::recursive_directory_iterator(svc.dir().path()))
	{
		if (!entry.is_regular_file() || entry.path().filename().string().rfind("config.yaml", 0) == 0)
			continue;
		std::ifstream in(entry.path(), std::ios::binary);
		std::stringstream ss;
		ss << in.rdbuf();
		all += ss.str();
	}
	return all;
}

const std::string kProxyUser = "proxyuser-7f3a";
const std::string kProxyPass = "proxy-PLANTED-secret-91c2e";

} // namespace

// ---------------------------------------------------------------------------------------------
// Outbound proxies

struct ProxyCase
{
	std::string name;
	FakeTunnelProxy::Kind kind;
	std::string type; ///< config value
	bool credentials;
};

class UpstreamProxy : public ::testing::TestWithParam<ProxyCase>
{
};

TEST_P(UpstreamProxy, RequestsGoThroughTheTunnel)
{
	const ProxyCase & c = GetParam();
	FakeUpstream a;
	a.always(Response::sse(anthropicStream("through the tunnel")));
	FakeTunnelProxy proxy(c.kind, c.credentials ? kProxyUser : "", c.credentials ? kProxyPass : "");
	ServiceProcess svc(configFor({{"a", a.url(), 1, proxyYaml(c.type, proxy.address(), c.credentials ? kProxyUser : "", kProxyPass)}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	for (int i = 0; i < 2; ++i)
	{
		auto r = post(svc);
		ASSERT_EQ(r.status, 200) << r.body;
		EXPECT_EQ(r.text(), "through the tunnel");
		// The client has its last event a moment before the proxy has read the upstream's final
		// chunk and pooled the connection; wait for that so the second request can reuse it.
		if (i == 0)
		{
			EXPECT_TRUE(waitForIdleConnection(svc, "a")) << "the tunnel connection never went back to the pool";
		}
	}
	ASSERT_EQ(a.requestCount(), 2u);
	EXPECT_EQ(a.lastRequest().header("x-api-key"), "sk-test-a");
	EXPECT_EQ(a.lastRequest().body, kBody);
	EXPECT_FALSE(a.lastRequest().hasHeader("proxy-authorization")); // proxy credentials stay with the proxy

	auto visits = proxy.visits();
	// The tunnel is a pooled connection like any other: both requests used it.
	EXPECT_EQ(proxy.connectionCount(), 1);
	EXPECT_EQ(a.connectionCount(), 1);
	svc.stop();
	visits = proxy.visits();
	ASSERT_EQ(visits.size(), 1u);
	const ProxyVisit & v = visits[0];
	EXPECT_EQ(v.target, "127.0.0.1:" + std::to_string(a.port()));
	EXPECT_TRUE(v.authorized);
	EXPECT_TRUE(v.tunnelled);
	EXPECT_EQ(v.presentedCredentials, c.credentials);
	if (c.credentials)
	{
		EXPECT_EQ(v.username, kProxyUser);
		EXPECT_EQ(v.password, kProxyPass);
	}
	if (c.kind == FakeTunnelProxy::Kind::HttpConnect)
	{
		EXPECT_EQ(v.rawHead.rfind("CONNECT 127.0.0.1:" + std::to_string(a.port()) + " HTTP/1.1\r\n", 0), 0u) << v.rawHead;
		EXPECT_EQ(lower(v.rawHead).find("proxy-authorization") != std::string::npos, c.credentials) << v.rawHead;
	}
	else
		EXPECT_EQ(v.methods, c.credentials ? std::vector<int>({0, 2}) : std::vector<int>({0}));
	const std::string logged = everythingLogged(svc);
	EXPECT_EQ(logged.find(kProxyPass), std::string::npos);
}

class UpstreamProxyAuth : public ::testing::TestWithParam<ProxyCase>
{
};

TEST_P(UpstreamProxyAuth, WrongCredentialsFailOverWithAClearError)
{
	const ProxyCase & c = GetParam();
	FakeUpstream a, b;
	a.always(Response::sse(anthropicStream("A")));
	b.always(Response::sse(anthropicStream("B")));
	FakeTunnelProxy proxy(c.kind, kProxyUser, "the-right-password");
	ServiceProcess svc(configFor({{"a", a.url(), 1, proxyYaml(c.type, proxy.address(), kProxyUser, kProxyPass)}, {"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = post(svc);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "B");
	EXPECT_EQ(a.requestCount(), 0u);
	EXPECT_EQ(b.requestCount(), 1u);
	svc.stop();
	auto visits = proxy.visits();
	ASSERT_GE(visits.size(), 1u);
	EXPECT_TRUE(visits[0].presentedCredentials);
	EXPECT_FALSE(visits[0].authorized);
	EXPECT_FALSE(visits[0].tunnelled);
	const std::string errors = attemptErrors(attempts(svc), "a");
	ASSERT_FALSE(errors.empty()) << svc.output();
	if (c.kind == FakeTunnelProxy::Kind::HttpConnect)
		EXPECT_NE(errors.find("407"), std::string::npos) << errors;
	else
		EXPECT_NE(errors.find("rejected the credentials"), std::string::npos) << errors;
	EXPECT_NE(lower(errors).find("proxy"), std::string::npos) << errors;
	const std::string logged = everythingLogged(svc);
	EXPECT_EQ(logged.find(kProxyPass), std::string::npos);
	EXPECT_EQ(logged.find("the-right-password"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Kinds, UpstreamProxy,
	::testing::Values(ProxyCase{"httpConnect", FakeTunnelProxy::Kind::HttpConnect, "http", false},
		ProxyCase{"httpConnectWithCredentials", FakeTunnelProxy::Kind::HttpConnect, "http", true},
		ProxyCase{"socks5", FakeTunnelProxy::Kind::Socks5, "socks5", false},
		ProxyCase{"socks5WithCredentials", FakeTunnelProxy::Kind::Socks5, "socks5", true}),
	[](const ::testing::TestParamInfo<ProxyCase> & p) { return p.param.name; });

INSTANTIATE_TEST_SUITE_P(Kinds, UpstreamProxyAuth,
	::testing::Values(ProxyCase{"httpConnect", FakeTunnelProxy::Kind::HttpConnect, "http", true},
		ProxyCase{"socks5", FakeTunnelProxy::Kind::Socks5, "socks5", true}),
	[](const ::testing::TestParamInfo<ProxyCase> & p) { return p.param.name; });

TEST(UpstreamProxyErrors, UnreachableProxyFailsOver)
{
	FakeUpstream a, b;
	a.always(Response::sse(anthropicStream("A")));
	b.always(Response::sse(anthropicStream("B")));
	const std::string refused = "127.0.0.1:" + std::to_string(FakeUpstream::refusedPort());
	ServiceProcess svc(configFor({{"a", a.url(), 1, proxyYaml("socks5", refused)}, {"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = post(svc);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "B");
	EXPECT_EQ(a.requestCount(), 0u);
	svc.stop();
	const std::string errors = attemptErrors(attempts(svc), "a");
	EXPECT_NE(errors.find("refused"), std::string::npos) << errors;
	EXPECT_NE(errors.find("proxy"), std::string::npos) << errors;
}

// ---------------------------------------------------------------------------------------------
// TLS verification

class UpstreamTls : public ::testing::Test
{
protected:
	void SetUp() override
	{
		ASSERT_TRUE(pki.ok());
		ASSERT_TRUE(pki.issueServer("good", "127.0.0.1"));
		ASSERT_TRUE(pki.issueServer("other", "127.0.0.2")); // valid, but for another host
		a.always(Response::sse(anthropicStream("over TLS")));
		b.always(Response::sse(anthropicStream("B")));
	}

	TempDir dir;
	TestPki pki{dir.path()};
	FakeUpstream a, b;
};

TEST_F(UpstreamTls, UntrustedCertificateFailsOver)
{
	TlsFront tls(pki.certFile("good"), pki.keyFile("good"), a.port());
	ASSERT_TRUE(tls.ok());
	ServiceProcess svc(configFor({{"tls", tls.url(), 1}, {"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = post(svc);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "B");
	EXPECT_EQ(a.requestCount(), 0u);
	EXPECT_EQ(tls.handshakes(), 0);
	svc.stop();
	const std::string errors = attemptErrors(attempts(svc), "tls");
	EXPECT_NE(lower(errors).find("certificate"), std::string::npos) << errors;
}

TEST_F(UpstreamTls, VerificationOffAcceptsAnyCertificate)
{
	TlsFront tls(pki.certFile("other"), pki.keyFile("other"), a.port());
	ServiceProcess svc(configFor({{"tls", tls.url(), 1, "    tls_verify: false\n"}, {"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = post(svc);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "over TLS");
	EXPECT_EQ(b.requestCount(), 0u);
	EXPECT_EQ(tls.handshakes(), 1);
	ASSERT_EQ(a.requestCount(), 1u);
	EXPECT_EQ(a.lastRequest().body, kBody);
}

TEST_F(UpstreamTls, TrustedCaFileSucceedsAndConnectionsAreReused)
{
	TlsFront tls(pki.certFile("good"), pki.keyFile("good"), a.port());
	ServiceProcess svc(configFor({{"tls", tls.url(), 1, "    ca_file: " + pki.caFile() + "\n"}, {"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	for (int i = 0; i < 3; ++i)
	{
		auto r = post(svc);
		ASSERT_EQ(r.status, 200) << r.body;
		EXPECT_EQ(r.text(), "over TLS");
		EXPECT_TRUE(waitForIdleConnection(svc, "tls")) << "the TLS connection never went back to the pool";
	}
	EXPECT_EQ(b.requestCount(), 0u);
	EXPECT_EQ(a.requestCount(), 3u);
	EXPECT_EQ(tls.handshakes(), 1); // one TLS connection, kept alive
}

TEST_F(UpstreamTls, HostnameMismatchFailsOver)
{
	TlsFront tls(pki.certFile("other"), pki.keyFile("other"), a.port());
	ServiceProcess svc(configFor({{"tls", tls.url(), 1, "    ca_file: " + pki.caFile() + "\n"}, {"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = post(svc);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "B");
	EXPECT_EQ(a.requestCount(), 0u);
	svc.stop();
	const std::string errors = attemptErrors(attempts(svc), "tls");
	EXPECT_NE(lower(errors).find("certificate"), std::string::npos) << errors;
}

TEST_F(UpstreamTls, MissingCaFileFailsOverWithItsName)
{
	TlsFront tls(pki.certFile("good"), pki.keyFile("good"), a.port());
	const std::string missing = dir.file("no-such-ca.pem");
	ServiceProcess svc(configFor({{"tls", tls.url(), 1, "    ca_file: " + missing + "\n"}, {"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = post(svc);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "B");
	svc.stop();
	const std::string errors = attemptErrors(attempts(svc), "tls");
	EXPECT_NE(errors.find(missing), std::string::npos) << errors;
}

TEST_F(UpstreamTls, TlsThroughAConnectProxy)
{
	TlsFront tls(pki.certFile("good"), pki.keyFile("good"), a.port());
	FakeTunnelProxy proxy(FakeTunnelProxy::Kind::HttpConnect, kProxyUser, kProxyPass);
	ServiceProcess svc(configFor({{"tls", tls.url(), 1, "    ca_file: " + pki.caFile() + "\n" + proxyYaml("http", proxy.address(), kProxyUser, kProxyPass)},
		{"b", b.url(), 2}}));
	ASSERT_TRUE(svc.start()) << svc.output();
	auto r = post(svc);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(r.text(), "over TLS");
	EXPECT_EQ(tls.handshakes(), 1);
	svc.stop();
	auto visits = proxy.visits();
	ASSERT_EQ(visits.size(), 1u);
	EXPECT_EQ(visits[0].target, "127.0.0.1:" + std::to_string(tls.port()));
}
