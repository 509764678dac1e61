// GET /metrics through the real binary: the exposition is parsed with a strict Prometheus text
// format (0.0.4) parser written here, and its counters must match the requests sent.
#include <chrono>
#include <cmath>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "AnthropicFixtures.h"
#include "FakeUpstream.h"
#include "ServiceProcess.h"

using namespace ccc::test;

namespace
{

struct Sample
{
	std::string name;
	std::map<std::string, std::string> labels;
	double value = 0;
};

struct Family
{
	std::string type;
	std::string help;
	bool hasHelp = false;
};

/// A strict parser of the text exposition format. Every violation is reported in `errors`.
struct Exposition
{
	std::map<std::string, Family> families;
	std::vector<Sample> samples;
	std::vector<std::string> errors;

	/// The family a sample belongs to (histogram samples carry a _bucket/_sum/_count suffix).
	std::string familyOf(const std::string & sampleName) const
	{
		if (families.count(sampleName))
			return sampleName;
		for (const char * suffix : {"_bucket", "_sum", "_count"})
		{
			const std::string s = suffix;
			if (sampleName.size() > s.size() && sampleName.compare(sampleName.size() - s.size(), s.size(), s) == 0)
			{
				const std::string base = sampleName.substr(0, sampleName.size() - s.size());
				auto it = families.find(base);
				if (it != families.end() && (it->second.type == "histogram" || it->second.type == "summary"))
					return base;
			}
		}
		return "";
	}

	double value(const std::string & name, const std::map<std::string, std::string> & labels) const
	{
		for (const auto & s : samples)
			if (s.name == name && s.labels == labels)
				return s.value;
		return NAN;
	}
};

bool parseValue(const std::string & text, double & out)
{
	if (text == "+Inf" || text == "Inf")
		out = INFINITY;
	else if (text == "-Inf")
		out = -INFINITY;
	else if (text == "NaN")
		out = NAN;
	else
	{
		static const std::regex number(R"([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)");
		if (!std::regex_match(text, number))
			return false;
		out = std::stod(text);
	}
	return true;
}

Exposition parseExposition(const std::string & text)
{
	Exposition e;
	static const std::regex metricName("[a-zA-Z_:][a-zA-Z0-9_:]*");
	static const std::regex labelName("[a-zA-Z_][a-zA-Z0-9_]*");
	std::set<std::string> familiesWithSamples;
	std::string lastFamily;
	std::istringstream in(text);
	std::string line;
	int lineNo = 0;
	if (!text.empty() && text.back() != '\n')
		e.errors.push_back("the exposition does not end with a line feed");
	while (std::getline(in, line))
	{
		++lineNo;
		const std::string where = "line " + std::to_string(lineNo) + ": ";
		if (line.empty())
			continue;
		if (line[0] == '#')
		{
			std::istringstream ls(line);
			std::string hash, keyword, name;
			ls >> hash >> keyword >> name;
			if (keyword != "HELP" && keyword != "TYPE")
				continue; // a comment
			if (!std::regex_match(name, metricName))
				e.errors.push_back(where + "bad metric name in " + keyword + ": " + name);
			std::string rest;
			std::getline(ls, rest);
			if (!rest.empty() && rest[0] == ' ')
				rest.erase(0, 1);
			Family & f = e.families[name];
			if (keyword == "TYPE")
			{
				if (!f.type.empty())
					e.errors.push_back(where + "second TYPE for " + name);
				if (familiesWithSamples.count(name))
					e.errors.push_back(where + "TYPE after samples of " + name);
				static const std::set<std::string> types = {"counter", "gauge", "histogram", "summary", "untyped"};
				if (!types.count(rest))
					e.errors.push_back(where + "unknown type " + rest);
				f.type = rest;
			}
			else
			{
				if (f.hasHelp)
					e.errors.push_back(where + "second HELP for " + name);
				f.hasHelp = true;
				f.help = rest;
			}
			continue;
		}
		// name{label="value",...} value [timestamp]
		Sample s;
		size_t i = 0;
		while (i < line.size() && line[i] != '{' && line[i] != ' ')
			++i;
		s.name = line.substr(0, i);
		if (!std::regex_match(s.name, metricName))
			e.errors.push_back(where + "bad metric name: " + s.name);
		if (i < line.size() && line[i] == '{')
		{
			++i;
			while (i < line.size() && line[i] != '}')
			{
				size_t eq = line.find('=', i);
				if (eq == std::string::npos)
				{
					e.errors.push_back(where + "label without '='");
					break;
				}
				const std::string ln = line.substr(i, eq - i);
				if (!std::regex_match(ln, labelName))
					e.errors.push_back(where + "bad label name: " + ln);
				if (s.labels.count(ln))
					e.errors.push_back(where + "repeated label " + ln);
				i = eq + 1;
				if (i >= line.size() || line[i] != '"')
				{
					e.errors.push_back(where + "label value not quoted");
					break;
				}
				++i;
				std::string v;
				bool closed = false;
				while (i < line.size())
				{
					char c = line[i++];
					if (c == '"')
					{
						closed = true;
						break;
					}
					if (c == '\\')
					{
						if (i >= line.size())
							break;
						char n = line[i++];
						if (n == '\\')
							v += '\\';
						else if (n == '"')
							v += '"';
						else if (n == 'n')
							v += '\n';
						else
							e.errors.push_back(where + "bad escape \\" + std::string(1, n));
					}
					else
						v += c;
				}
				if (!closed)
				{
					e.errors.push_back(where + "unterminated label value");
					break;
				}
				s.labels[ln] = v;
				if (i < line.size() && line[i] == ',')
					++i;
				else if (i < line.size() && line[i] != '}')
				{
					e.errors.push_back(where + "expected ',' or '}'");
					break;
				}
			}
			if (i >= line.size() || line[i] != '}')
			{
				e.errors.push_back(where + "no closing '}'");
				continue;
			}
			++i;
		}
		if (i >= line.size() || line[i] != ' ')
		{
			e.errors.push_back(where + "no value");
			continue;
		}
		std::istringstream vs(line.substr(i + 1));
		std::string valueText, timestamp, extra;
		vs >> valueText >> timestamp >> extra;
		if (!parseValue(valueText, s.value))
			e.errors.push_back(where + "bad value " + valueText);
		if (!timestamp.empty() && !std::regex_match(timestamp, std::regex("-?\\d+")))
			e.errors.push_back(where + "bad timestamp " + timestamp);
		if (!extra.empty())
			e.errors.push_back(where + "trailing text");
		const std::string fam = e.familyOf(s.name);
		if (fam.empty())
			e.errors.push_back(where + "sample " + s.name + " has no TYPE");
		else
		{
			if (fam != lastFamily && familiesWithSamples.count(fam))
				e.errors.push_back(where + "samples of " + fam + " are not grouped together");
			familiesWithSamples.insert(fam);
			lastFamily = fam;
			const std::string & type = e.families[fam].type;
			if (type == "counter" && (s.value < 0 || std::isnan(s.value)))
				e.errors.push_back(where + "negative counter " + s.name);
			if (type == "histogram" && s.name == fam + "_bucket" && !s.labels.count("le"))
				e.errors.push_back(where + "bucket without le");
			if (type == "histogram" && s.name == fam)
				e.errors.push_back(where + "histogram sample without suffix");
		}
		e.samples.push_back(std::move(s));
	}
	for (const auto & [name, f] : e.families)
		if (f.type.empty())
			e.errors.push_back("HELP without TYPE: " + name);

	// Histograms: per label set (without le), le ascending, cumulative counts non-decreasing, a +Inf
	// bucket equal to _count, and a _sum.
	for (const auto & [name, f] : e.families)
	{
		if (f.type != "histogram")
			continue;
		std::map<std::map<std::string, std::string>, std::vector<std::pair<double, double>>> series;
		for (const auto & s : e.samples)
			if (s.name == name + "_bucket")
			{
				auto key = s.labels;
				key.erase("le");
				double le = 0;
				if (!parseValue(s.labels.at("le"), le))
					e.errors.push_back(name + ": bad le " + s.labels.at("le"));
				series[key].push_back({le, s.value});
			}
		for (const auto & [key, buckets] : series)
		{
			for (size_t i = 1; i < buckets.size(); ++i)
			{
				if (!(buckets[i].first > buckets[i - 1].first))
					e.errors.push_back(name + ": le not ascending");
				if (buckets[i].second < buckets[i - 1].second)
					e.errors.push_back(name + ": bucket counts decrease");
			}
			if (buckets.empty() || !std::isinf(buckets.back().first))
				e.errors.push_back(name + ": no +Inf bucket");
			const double count = e.value(name + "_count", key);
			if (std::isnan(count) || buckets.empty() || count != buckets.back().second)
				e.errors.push_back(name + ": +Inf bucket differs from _count");
			if (std::isnan(e.value(name + "_sum", key)))
				e.errors.push_back(name + ": no _sum");
		}
	}
	return e;
}

std::string errorsOf(const Exposition & e)
{
	std::string s;
	for (const auto & x : e.errors)
		s += x + "\n";
	return s;
}

const std::string kBody = R"({"model":"claude-sonnet-4-5","max_tokens":16,"messages":[{"role":"user","content":"hi"}]})";

} // namespace

TEST(Metrics, TheParserIsStrict)
{
	EXPECT_TRUE(parseExposition("# HELP a_total x\n# TYPE a_total counter\na_total{l=\"q\\\"\\\\\\n\"} 3\n").errors.empty());
	EXPECT_FALSE(parseExposition("a_total 1\n").errors.empty());                                            // no TYPE
	EXPECT_FALSE(parseExposition("# TYPE a counter\na{l=\"x\\t\"} 1\n").errors.empty());                    // bad escape
	EXPECT_FALSE(parseExposition("# TYPE a counter\na{1l=\"x\"} 1\n").errors.empty());                      // bad label name
	EXPECT_FALSE(parseExposition("# TYPE 1a counter\n").errors.empty());                                    // bad metric name
	EXPECT_FALSE(parseExposition("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n").errors.empty());
	EXPECT_FALSE(parseExposition("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1\nh_count 3\n").errors.empty());
	EXPECT_TRUE(parseExposition("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 1.5\nh_count 2\n").errors.empty());
}

TEST(Metrics, CountersMatchTheRequestsSent)
{
	FakeUpstream a, b;
	// a serves three requests, then refuses the fourth with a 403 (not retried on a): failover to b.
	for (int i = 0; i < 3; ++i)
		a.enqueue(Response::json(200, anthropicMessage("from a", kFakeModel, FakeUsage{25, 12, 0, 0})));
	a.enqueue(Response::json(403, anthropicError("permission_error", "no")));
	b.always(Response::sse(anthropicStream("from b", kFakeModel, FakeUsage{40, 7, 0, 100})));
	ServiceProcess svc("server:\n  host: 127.0.0.1\n  port: ${PORT}\nendpoints:\n"
					   "  - {name: a, url: \"" + a.url() + "\", auth_type: api_key, auth_value: key-a, priority: 1}\n"
					   "  - {name: \"b \\\"quoted\\\"\", url: \"" + b.url() + "\", auth_type: api_key, auth_value: key-b, priority: 2}\n");
	ASSERT_TRUE(svc.start()) << svc.output();
	const std::string bName = "b \"quoted\"";
	const std::map<std::string, std::string> headers = {{"Content-Type", "application/json"}, {"x-api-key", "k"}};
	for (int i = 0; i < 3; ++i)
		ASSERT_EQ(httpRequest(svc.port(), "POST", "/v1/messages", kBody, headers).status, 200);
	HttpResult r = httpRequest(svc.port(), "POST", "/v1/messages",
		R"({"model":"weird\"model\\x\ny","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"hi"}]})", headers);
	ASSERT_EQ(r.status, 200) << r.body;
	EXPECT_EQ(b.requestCount(), 1u);
	// One rejected before any endpoint: not JSON.
	EXPECT_EQ(httpRequest(svc.port(), "POST", "/v1/messages", "{oops", headers).status, 400);

	// Records reach the metrics after each response has completed: poll briefly.
	Exposition e;
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
	do
	{
		HttpResult m = httpRequest(svc.port(), "GET", "/metrics");
		ASSERT_EQ(m.status, 200);
		EXPECT_EQ(m.headers["content-type"].rfind("text/plain; version=0.0.4", 0), 0u) << m.headers["content-type"];
		e = parseExposition(m.body);
		ASSERT_TRUE(e.errors.empty()) << errorsOf(e) << m.body;
		if (e.value("ccc_requests_total", {{"endpoint", "none"}, {"outcome", "rejected"}}) == 1
			&& e.value("ccc_requests_total", {{"endpoint", bName}, {"outcome", "success"}}) == 1)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	} while (std::chrono::steady_clock::now() < deadline);

	EXPECT_EQ(e.value("ccc_requests_total", {{"endpoint", "a"}, {"outcome", "success"}}), 3);
	EXPECT_EQ(e.value("ccc_requests_total", {{"endpoint", bName}, {"outcome", "success"}}), 1);
	EXPECT_EQ(e.value("ccc_requests_total", {{"endpoint", "none"}, {"outcome", "rejected"}}), 1);
	EXPECT_EQ(e.value("ccc_attempts_total", {{"endpoint", "a"}, {"outcome", "success"}}), 3);
	EXPECT_EQ(e.value("ccc_attempts_total", {{"endpoint", "a"}, {"outcome", "upstream_error"}}), 1);
	EXPECT_EQ(e.value("ccc_attempts_total", {{"endpoint", bName}, {"outcome", "success"}}), 1);
	EXPECT_EQ(e.value("ccc_failovers_total", {{"from", "a"}, {"to", bName}}), 1);
	EXPECT_EQ(e.value("ccc_request_duration_seconds_count", {{"endpoint", "a"}}), 3);
	EXPECT_EQ(e.value("ccc_request_duration_seconds_count", {{"endpoint", bName}}), 1);
	EXPECT_EQ(e.value("ccc_request_ttfb_seconds_count", {{"endpoint", "a"}}), 3);
	EXPECT_EQ(e.value("ccc_request_duration_seconds_bucket", {{"endpoint", "a"}, {"le", "+Inf"}}), 3);
	EXPECT_EQ(e.value("ccc_tokens_total", {{"endpoint", "a"}, {"model", "claude-sonnet-4-5"}, {"type", "input"}}), 75);
	EXPECT_EQ(e.value("ccc_tokens_total", {{"endpoint", "a"}, {"model", "claude-sonnet-4-5"}, {"type", "output"}}), 36);
	EXPECT_EQ(e.value("ccc_tokens_total", {{"endpoint", bName}, {"model", "weird\"model\\x\ny"}, {"type", "input"}}), 40);
	EXPECT_EQ(e.value("ccc_tokens_total", {{"endpoint", bName}, {"model", "weird\"model\\x\ny"}, {"type", "cache_read"}}), 100);
	EXPECT_EQ(e.value("ccc_endpoint_breaker_open", {{"endpoint", "a"}}), 0);
	EXPECT_EQ(e.value("ccc_endpoint_active_streams", {{"endpoint", bName}}), 0);
	EXPECT_EQ(e.value("ccc_active_requests", {}), 0);
	EXPECT_GE(e.value("ccc_log_queue_depth", {}), 0);
	EXPECT_EQ(e.families["ccc_requests_total"].type, "counter");
	EXPECT_EQ(e.families["ccc_request_duration_seconds"].type, "histogram");
	EXPECT_EQ(e.families["ccc_endpoint_breaker_open"].type, "gauge");
	EXPECT_FALSE(e.families["ccc_requests_total"].help.empty());
}

TEST(Metrics, BreakerStateIsExported)
{
	FakeUpstream a;
	a.always(Response::json(500, anthropicError("api_error", "down")));
	ServiceProcess svc("server:\n  host: 127.0.0.1\n  port: ${PORT}\nfailover:\n  max_attempts_per_endpoint: 1\n"
					   "circuit_breaker:\n  failure_threshold: 1\nendpoints:\n"
					   "  - {name: a, url: \"" + a.url() + "\", auth_type: api_key, auth_value: key-a}\n");
	ASSERT_TRUE(svc.start()) << svc.output();
	httpRequest(svc.port(), "POST", "/v1/messages", kBody, {{"Content-Type", "application/json"}});
	Exposition e;
	const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
	do
	{
		e = parseExposition(httpRequest(svc.port(), "GET", "/metrics").body);
		ASSERT_TRUE(e.errors.empty()) << errorsOf(e);
		if (e.value("ccc_endpoint_breaker_open", {{"endpoint", "a"}}) == 1)
			break;
		std::this_thread::sleep_for(std::chrono::milliseconds(50));
	} while (std::chrono::steady_clock::now() < deadline);
	EXPECT_EQ(e.value("ccc_endpoint_breaker_open", {{"endpoint", "a"}}), 1) << svc.output();
	EXPECT_GE(e.value("ccc_endpoint_breaker_opens_total", {{"endpoint", "a"}}), 1);
}
