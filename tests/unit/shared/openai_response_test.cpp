#include "openai_test_support.h"

#include <random>

#include "ccc/sse/parser.h"

using namespace openai_test;
namespace oa = ccc::openai;

namespace
{

void readResponseOptions(const Json & c, oa::ResponseOptions & o)
{
	o.clientModel = "claude-opus-4-8";
	if (!c.contains("options"))
		return;
	const Json & j = c["options"];
	if (j.contains("clientModel"))
		o.clientModel = j["clientModel"].get<std::string>();
	if (j.contains("pythonFixTools"))
		o.pythonFixTools = j["pythonFixTools"].get<std::vector<std::string>>();
	if (j.contains("pythonFixEnabled"))
		o.pythonFixEnabled = j["pythonFixEnabled"].get<bool>();
	if (j.contains("stopSequences"))
		o.stopSequences = j["stopSequences"].get<std::vector<std::string>>();
	if (j.contains("estimatedInputTokens"))
		o.estimatedInputTokens = j["estimatedInputTokens"].get<int64_t>();
}

oa::StreamConverter::Options streamOptions(const Json & c)
{
	oa::StreamConverter::Options o;
	readResponseOptions(c, o);
	if (c.contains("options") && c["options"].contains("allowMissingDone"))
		o.allowMissingDone = c["options"]["allowMissingDone"].get<bool>();
	return o;
}

Json usageJson(const ccc::anthropic::Usage & u)
{
	return Json{{"input_tokens", u.input_tokens}, {"output_tokens", u.output_tokens},
		{"cache_creation_input_tokens", u.cache_creation_input_tokens}, {"cache_read_input_tokens", u.cache_read_input_tokens}};
}

Json runResponseCase(const Json & c)
{
	oa::ResponseOptions o;
	readResponseOptions(c, o);
	std::string body = c["openai"].is_string() ? c["openai"].get<std::string>() : c["openai"].dump();
	auto r = oa::convertResponse(body, o);
	Json e;
	e["ok"] = r.ok;
	if (r.ok)
	{
		e["anthropic"] = Json::parse(r.body);
		e["stop_reason"] = r.stopReason;
		e["usage"] = usageJson(r.usage);
	}
	else
	{
		e["error"] = r.error;
		e["upstream_error"] = r.upstreamError;
	}
	return e;
}

struct StreamRun
{
	bool fedOk = true;
	bool finishedOk = false;
	std::vector<ccc::sse::Event> events;
	std::string error;
	bool upstreamError = false;
	ccc::anthropic::Usage usage;
};

/// Feeds `body` in the given pieces, then finishes.
StreamRun runStream(const Json & c, const std::string & body, const std::vector<size_t> & cuts)
{
	StreamRun run;
	oa::StreamConverter conv(streamOptions(c));
	size_t pos = 0;
	for (size_t cut : cuts)
	{
		if (!conv.feed(std::string_view(body).substr(pos, cut - pos), run.events))
			run.fedOk = false;
		pos = cut;
	}
	if (!conv.feed(std::string_view(body).substr(pos), run.events))
		run.fedOk = false;
	run.finishedOk = conv.finish(run.events);
	run.error = conv.error();
	run.upstreamError = conv.upstreamError();
	run.usage = conv.usage();
	return run;
}

Json eventsJson(const std::vector<ccc::sse::Event> & events)
{
	Json arr = Json::array();
	for (const auto & ev : events)
		arr.push_back(Json::parse(ev.data, nullptr, false));
	return arr;
}

/// Structural checks of an Anthropic event stream (what the SDK and Claude Code rely on): event
/// name equals data.type, raw is the canonical serialisation, message_start first with usage,
/// block indexes in order with one open block, deltas match their block, tool input complete JSON
/// at its stop, message_delta with stop_reason and sibling usage, message_stop last.
void checkAnthropicStream(const std::vector<ccc::sse::Event> & events, bool complete)
{
	int next = 0, open = -1;
	std::string openType, json;
	bool started = false, delta = false, stopped = false;
	for (const auto & ev : events)
	{
		Json d = Json::parse(ev.data, nullptr, false);
		ASSERT_TRUE(d.is_object()) << ev.data;
		ASSERT_EQ(ev.event, d["type"].get<std::string>());
		ASSERT_EQ(ev.raw, ccc::sse::serialize(ev.event, ev.data));
		ASSERT_FALSE(stopped) << "event after message_stop";
		const std::string type = ev.event;
		if (type == "message_start")
		{
			ASSERT_FALSE(started);
			started = true;
			const Json & m = d["message"];
			ASSERT_EQ(m["type"], "message");
			ASSERT_EQ(m["role"], "assistant");
			ASSERT_TRUE(m["id"].get<std::string>().rfind("msg_", 0) == 0);
			ASSERT_TRUE(m["usage"]["input_tokens"].is_number_integer());
			ASSERT_TRUE(m["usage"]["output_tokens"].is_number_integer());
			ASSERT_TRUE(m["content"].is_array() && m["content"].empty());
			continue;
		}
		ASSERT_TRUE(started) << type << " before message_start";
		if (type == "content_block_start")
		{
			ASSERT_EQ(open, -1) << "a block is already open";
			ASSERT_FALSE(delta);
			ASSERT_EQ(d["index"], next);
			open = next++;
			openType = d["content_block"]["type"].get<std::string>();
			json.clear();
			if (openType == "text")
			{
				ASSERT_EQ(d["content_block"]["text"], "");
			}
			else if (openType == "thinking")
			{
				ASSERT_EQ(d["content_block"]["thinking"], "");
			}
			else
			{
				ASSERT_EQ(openType, "tool_use");
				ASSERT_FALSE(d["content_block"]["id"].get<std::string>().empty());
				ASSERT_FALSE(d["content_block"]["name"].get<std::string>().empty());
				ASSERT_TRUE(d["content_block"]["input"].is_object());
			}
		}
		else if (type == "content_block_delta")
		{
			ASSERT_EQ(d["index"], open);
			std::string dt = d["delta"]["type"].get<std::string>();
			if (openType == "text")
			{
				ASSERT_EQ(dt, "text_delta");
				ASSERT_FALSE(d["delta"]["text"].get<std::string>().empty());
			}
			else if (openType == "thinking")
			{
				ASSERT_TRUE(dt == "thinking_delta" || dt == "signature_delta");
			}
			else
			{
				ASSERT_EQ(dt, "input_json_delta");
				json += d["delta"]["partial_json"].get<std::string>();
			}
		}
		else if (type == "content_block_stop")
		{
			ASSERT_EQ(d["index"], open);
			if (openType == "tool_use")
			{
				Json input = Json::parse(json.empty() ? "{}" : json, nullptr, false);
				ASSERT_TRUE(input.is_object()) << json;
			}
			open = -1;
		}
		else if (type == "message_delta")
		{
			ASSERT_EQ(open, -1);
			ASSERT_FALSE(delta);
			delta = true;
			ASSERT_TRUE(d["delta"]["stop_reason"].is_string());
			ASSERT_TRUE(d["delta"].contains("stop_sequence"));
			ASSERT_TRUE(d["usage"]["output_tokens"].is_number_integer());
		}
		else if (type == "message_stop")
		{
			ASSERT_TRUE(delta);
			stopped = true;
		}
		else
		{
			FAIL() << "unexpected event " << type;
		}
	}
	if (complete)
	{
		ASSERT_TRUE(stopped);
	}
}

Json runStreamCase(const Json & c)
{
	std::string body = sseBody(c);
	StreamRun whole = runStream(c, body, {});
	Json e;
	e["ok"] = whole.fedOk && whole.finishedOk;
	e["events"] = eventsJson(whole.events);
	if (!whole.error.empty())
		e["error"] = whole.error;
	if (whole.upstreamError)
		e["upstream_error"] = true;
	if (whole.finishedOk)
		e["usage"] = usageJson(whole.usage);
	return e;
}

std::string joinRaw(const std::vector<ccc::sse::Event> & events)
{
	std::string s;
	for (const auto & ev : events)
		s += ev.raw;
	return s;
}

} // namespace

TEST(OpenAIResponse, GoldenCases)
{
	Json cases = readCases("responses.json");
	ASSERT_TRUE(cases.is_array()) << "cannot read responses.json";
	bool update = updateGolden();
	for (auto & c : cases)
	{
		SCOPED_TRACE(c["name"].get<std::string>());
		Json actual = runResponseCase(c);
		if (update)
		{
			c["expect"] = actual;
			continue;
		}
		ASSERT_TRUE(c.contains("expect"));
		std::string diff;
		EXPECT_TRUE(sameJson(c["expect"], actual, "expect", diff)) << diff;
		if (actual["ok"] == true)
		{
			// content is never null, ids are always present.
			EXPECT_TRUE(actual["anthropic"]["content"].is_array());
			EXPECT_TRUE(actual["anthropic"]["id"].get<std::string>().rfind("msg_", 0) == 0);
		}
	}
	if (update)
		writeCases("responses.json", cases);
}

TEST(OpenAIStream, GoldenCases)
{
	Json cases = readCases("streams.json");
	ASSERT_TRUE(cases.is_array()) << "cannot read streams.json";
	bool update = updateGolden();
	for (auto & c : cases)
	{
		SCOPED_TRACE(c["name"].get<std::string>());
		Json actual = runStreamCase(c);
		if (update)
		{
			c["expect"] = actual;
			continue;
		}
		ASSERT_TRUE(c.contains("expect"));
		std::string diff;
		EXPECT_TRUE(sameJson(c["expect"], actual, "expect", diff)) << diff;
		std::string body = sseBody(c);
		StreamRun whole = runStream(c, body, {});
		checkAnthropicStream(whole.events, whole.finishedOk && whole.fedOk);
	}
	if (update)
		writeCases("streams.json", cases);
}

TEST(OpenAIStream, ByteByByteAndRandomSplitsGiveIdenticalEvents)
{
	Json cases = readCases("streams.json");
	ASSERT_TRUE(cases.is_array());
	std::mt19937 rng(20261128);
	for (const auto & c : cases)
	{
		SCOPED_TRACE(c["name"].get<std::string>());
		std::string body = sseBody(c);
		StreamRun whole = runStream(c, body, {});
		std::string expected = joinRaw(whole.events);

		std::vector<size_t> every;
		for (size_t i = 1; i < body.size(); ++i)
			every.push_back(i);
		StreamRun bytes = runStream(c, body, every);
		EXPECT_EQ(joinRaw(bytes.events), expected);
		EXPECT_EQ(bytes.finishedOk && bytes.fedOk, whole.finishedOk && whole.fedOk);
		EXPECT_EQ(bytes.error, whole.error);

		for (int round = 0; round < 20; ++round)
		{
			std::vector<size_t> cuts;
			size_t pos = 0;
			while (body.size() > 1)
			{
				pos += 1 + rng() % 17;
				if (pos >= body.size())
					break;
				cuts.push_back(pos);
			}
			StreamRun split = runStream(c, body, cuts);
			EXPECT_EQ(joinRaw(split.events), expected) << "round " << round;
			EXPECT_EQ(split.finishedOk && split.fedOk, whole.finishedOk && whole.fedOk);
		}
	}
}

TEST(OpenAIStream, TextIsForwardedIncrementally)
{
	// Each content delta produces its event as soon as its chunk is complete, not at the end.
	oa::StreamConverter::Options o;
	oa::StreamConverter conv(o);
	std::vector<ccc::sse::Event> out;
	ASSERT_TRUE(conv.feed("data: {\"id\":\"c1\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"}}]}\n\n", out));
	ASSERT_EQ(out.size(), 3u); // message_start, content_block_start, delta
	EXPECT_EQ(out[2].event, "content_block_delta");
	ASSERT_TRUE(conv.feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"}}]}", out));
	EXPECT_EQ(out.size(), 3u); // the event is not complete before its blank line
	ASSERT_TRUE(conv.feed("\n\n", out));
	EXPECT_EQ(out.size(), 4u);
	// Tool call blocks start as soon as the name is known.
	ASSERT_TRUE(conv.feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"Bash\",\"arguments\":\"\"}}]}}]}\n\n", out));
	ASSERT_EQ(out.size(), 6u); // text block stop, tool_use start
	EXPECT_EQ(out[5].event, "content_block_start");
	ASSERT_TRUE(conv.feed("data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{}\"}}]},\"finish_reason\":\"tool_calls\"}]}\n\ndata: [DONE]\n\n", out));
	EXPECT_EQ(out.back().event, "message_stop");
	EXPECT_TRUE(conv.finish(out));
}

TEST(OpenAIStream, FeedAfterFailureKeepsFailing)
{
	oa::StreamConverter::Options o;
	oa::StreamConverter conv(o);
	std::vector<ccc::sse::Event> out;
	EXPECT_FALSE(conv.feed("data: {not json}\n\n", out));
	EXPECT_FALSE(conv.feed("data: {\"choices\":[]}\n\n", out));
	EXPECT_FALSE(conv.finish(out));
	EXPECT_FALSE(conv.error().empty());
	EXPECT_FALSE(conv.upstreamError());
}

TEST(OpenAIPythonRepair, Cases)
{
	struct Case
	{
		const char * in;
		const char * out; // nullptr: cannot be repaired
	};
	const Case cases[] = {
		{R"({'a': 'b'})", R"({"a": "b"})"},
		{R"({"todos": [{'content': 'Fix it', 'id': '1', 'status': 'in_progress'}]})",
			R"({"todos": [{"content": "Fix it", "id": "1", "status": "in_progress"}]})"},
		{R"({'flag': True, 'none': None, 'off': False})", R"({"flag": true, "none": null, "off": false})"},
		{R"({'quote': "it's", 'dq': 'say "hi"'})", R"({"quote": "it's", "dq": "say \"hi\""})"},
		{R"({'esc': 'don\'t', 'nl': 'a\nb', 'x': '\x41'})", R"({"esc": "don't", "nl": "a\nb", "x": "\u0041"})"},
		{R"({'trailing': [1, 2,], })", R"({"trailing": [1, 2] })"},
		{R"({"already": "json"})", R"({"already": "json"})"},
		{R"({'unterminated: 1})", nullptr},
		{R"({'a': undefined_name})", nullptr},
		{"", nullptr},
	};
	for (const auto & c : cases)
	{
		auto r = oa::repairPythonDict(c.in);
		if (!c.out)
		{
			EXPECT_FALSE(r.has_value()) << c.in;
		}
		else
		{
			ASSERT_TRUE(r.has_value()) << c.in;
			EXPECT_EQ(*r, c.out);
		}
	}
}
