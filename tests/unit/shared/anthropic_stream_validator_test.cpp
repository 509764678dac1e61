#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ccc/anthropic/stream_validator.h"
#include "ccc/sse/parser.h"

using ccc::anthropic::Check;
using ccc::anthropic::StreamValidator;
using ccc::anthropic::Violation;
using ccc::sse::Event;

namespace
{

std::string readData(const std::string & name)
{
	std::ifstream in(std::string(CCC_TEST_DATA_DIR) + "/anthropic/" + name, std::ios::binary);
	std::ostringstream s;
	s << in.rdbuf();
	return s.str();
}

Event ev(std::string name, std::string data)
{
	Event e;
	e.event = std::move(name);
	e.data = std::move(data);
	e.hasData = true;
	return e;
}

Event noData(std::string name)
{
	Event e;
	e.event = std::move(name);
	return e;
}

const char * kStart = R"({"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-opus-4-8","stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":1}}})";
const char * kTextStart = R"({"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}})";
const char * kTextDelta = R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}})";
const char * kStop0 = R"({"type":"content_block_stop","index":0})";
const char * kMsgDelta = R"({"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":5}})";
const char * kMsgStop = R"({"type":"message_stop"})";
const char * kPing = R"({"type": "ping"})";

std::vector<Event> happyText()
{
	return {ev("message_start", kStart), ev("ping", kPing), ev("content_block_start", kTextStart),
		ev("content_block_delta", kTextDelta), ev("content_block_stop", kStop0), ev("message_delta", kMsgDelta),
		ev("message_stop", kMsgStop)};
}

struct Outcome
{
	Check onEvents;   ///< first failing onEvent result (or ok)
	size_t failedAt = SIZE_MAX;
	Check finish;
};

Outcome run(const std::vector<Event> & events)
{
	StreamValidator v;
	Outcome o;
	for (size_t i = 0; i < events.size(); ++i)
	{
		Check c = v.onEvent(events[i]);
		if (!c.ok() && o.failedAt == SIZE_MAX)
		{
			o.onEvents = c;
			o.failedAt = i;
		}
	}
	o.finish = v.finish();
	return o;
}

std::vector<Event> parseSse(const std::string & text, size_t chunk)
{
	ccc::sse::Parser p;
	std::vector<Event> out;
	for (size_t i = 0; i < text.size(); i += chunk)
		p.feed(std::string_view(text).substr(i, chunk), out);
	p.finish(out);
	return out;
}

} // namespace

TEST(AnthropicStream, HappyTextStream)
{
	StreamValidator v;
	EXPECT_FALSE(v.proven());
	auto events = happyText();
	for (size_t i = 0; i < events.size(); ++i)
	{
		EXPECT_TRUE(v.onEvent(events[i]).ok()) << i;
		// Proven only once the first content event follows a valid message_start.
		EXPECT_EQ(v.proven(), i >= 2) << i;
	}
	EXPECT_TRUE(v.finish().ok());
	EXPECT_TRUE(v.sawMessageStop());
	EXPECT_EQ(v.messageId(), "msg_1");
	EXPECT_EQ(v.model(), "claude-opus-4-8");
	EXPECT_EQ(v.stopReason(), "end_turn");
	EXPECT_EQ(v.usage().input_tokens, 10);
	EXPECT_EQ(v.usage().output_tokens, 5);
	EXPECT_EQ(v.usage().cache_read_input_tokens, -1);
	EXPECT_EQ(v.eventCount(), events.size());
}

TEST(AnthropicStream, RealShapedThinkingTextToolStream)
{
	std::string text = readData("stream_thinking_text_tool.sse");
	ASSERT_FALSE(text.empty());
	// Any chunking of the bytes gives the same verdict (parser + validator together).
	for (size_t chunk : {size_t(1), size_t(7), size_t(64), text.size()})
	{
		auto events = parseSse(text, chunk);
		ASSERT_EQ(events.size(), 19u);
		StreamValidator v;
		for (const auto & e : events)
			ASSERT_TRUE(v.onEvent(e).ok()) << e.raw;
		Check f = v.finish();
		EXPECT_TRUE(f.ok()) << f.message;
		EXPECT_EQ(v.stopReason(), "tool_use");
		EXPECT_EQ(v.usage().input_tokens, 3);
		EXPECT_EQ(v.usage().output_tokens, 142);
		EXPECT_EQ(v.usage().cache_creation_input_tokens, 1849);
		EXPECT_EQ(v.usage().cache_read_input_tokens, 17266);
		EXPECT_EQ(v.messageId(), "msg_01XFDUDYJgAACzvnptvVoYEL");
	}
}

TEST(AnthropicStream, OverloadedAfterMessageStart)
{
	auto events = parseSse(readData("stream_overloaded_midstream.sse"), 5);
	ASSERT_EQ(events.size(), 3u);
	StreamValidator v;
	EXPECT_TRUE(v.onEvent(events[0]).ok());
	EXPECT_TRUE(v.onEvent(events[1]).ok());
	EXPECT_FALSE(v.proven());
	Check c = v.onEvent(events[2]);
	EXPECT_EQ(c.violation, Violation::UpstreamError);
	EXPECT_EQ(c.errorType, "overloaded_error");
	EXPECT_EQ(c.errorPayload, events[2].data);
	EXPECT_NE(c.message.find("Overloaded"), std::string::npos);
	EXPECT_FALSE(v.proven());
	// The first violation sticks.
	EXPECT_EQ(v.onEvent(ev("message_stop", kMsgStop)).violation, Violation::UpstreamError);
	EXPECT_EQ(v.finish().violation, Violation::UpstreamError);
}

TEST(AnthropicStream, FakeUsageFixture)
{
	auto o = run(parseSse(readData("stream_fake_usage.sse"), 3));
	EXPECT_EQ(o.onEvents.violation, Violation::FakeUsage);
	EXPECT_EQ(o.failedAt, 0u);
	EXPECT_EQ(o.finish.violation, Violation::FakeUsage);
}

TEST(AnthropicStream, TruncatedToolInputFixture)
{
	auto o = run(parseSse(readData("stream_truncated_tool_input.sse"), 11));
	EXPECT_EQ(o.onEvents.violation, Violation::Truncated);
	EXPECT_EQ(o.failedAt, 3u); // the content_block_stop
	EXPECT_NE(o.onEvents.message.find("incomplete"), std::string::npos);
}

TEST(AnthropicStream, EmptyAndTruncatedEndings)
{
	EXPECT_EQ(run({}).finish.violation, Violation::Empty);
	EXPECT_EQ(run({ev("ping", kPing)}).finish.violation, Violation::Empty);
	EXPECT_EQ(run({noData("ping")}).finish.violation, Violation::Empty);
	auto events = happyText();
	for (size_t n = 1; n < events.size(); ++n)
	{
		std::vector<Event> cut(events.begin(), events.begin() + std::ptrdiff_t(n));
		Outcome o = run(cut);
		EXPECT_EQ(o.failedAt, SIZE_MAX) << n;
		EXPECT_EQ(o.finish.violation, Violation::Truncated) << n;
	}
	// Inside a block: the message names it.
	std::vector<Event> inBlock(events.begin(), events.begin() + 4);
	EXPECT_NE(run(inBlock).finish.message.find("content block 0"), std::string::npos);
	// Blocks complete but no message_stop: still truncated (Claude Code would accept it silently).
	std::vector<Event> noStop(events.begin(), events.end() - 1);
	EXPECT_EQ(run(noStop).finish.violation, Violation::Truncated);
}

TEST(AnthropicStream, ViolationTable)
{
	struct Case
	{
		const char * name;
		std::vector<Event> events;
		Violation expected;
		size_t failedAt;
	};
	auto happy = happyText();
	auto replace = [&](size_t i, Event e) {
		auto v = happy;
		v[i] = std::move(e);
		return v;
	};
	auto insert = [&](size_t i, Event e) {
		auto v = happy;
		v.insert(v.begin() + std::ptrdiff_t(i), std::move(e));
		return v;
	};
	auto without = [&](size_t i) {
		auto v = happy;
		v.erase(v.begin() + std::ptrdiff_t(i));
		return v;
	};
	const std::string toolStart = R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"Bash","input":{}}})";
	auto toolDelta = [](const std::string & partial) {
		return ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":)"
				+ partial + "}}");
	};
	auto toolStream = [&](std::vector<std::string> partials) {
		std::vector<Event> v = {ev("message_start", kStart), ev("content_block_start", toolStart)};
		for (auto & p : partials)
			v.push_back(toolDelta(p));
		v.push_back(ev("content_block_stop", kStop0));
		v.push_back(ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":3}})"));
		v.push_back(ev("message_stop", kMsgStop));
		return v;
	};
	const std::string thinkingStart = R"({"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":""}})";

	std::vector<Case> cases = {
		{"happy", happy, Violation::None, SIZE_MAX},
		{"ping before message_start", insert(0, ev("ping", kPing)), Violation::None, SIZE_MAX},
		{"ping without data", insert(3, noData("ping")), Violation::None, SIZE_MAX},
		{"retry-only block", insert(1, noData("")), Violation::None, SIZE_MAX},
		{"pings everywhere", insert(5, ev("", kPing)), Violation::None, SIZE_MAX},
		{"ping after message_stop", insert(7, ev("ping", kPing)), Violation::None, SIZE_MAX},
		{"[DONE] after message_stop", insert(7, ev("", "[DONE]")), Violation::None, SIZE_MAX},
		{"[DONE] before message_stop", insert(6, ev("", "[DONE]")), Violation::Malformed, 6},
		{"empty event names use data.type", [&] {
			 auto v = happy;
			 for (auto & e : v)
				 e.event.clear();
			 return v;
		 }(), Violation::None, SIZE_MAX},
		{"no content blocks at all", {ev("message_start", kStart), ev("message_delta", kMsgDelta), ev("message_stop", kMsgStop)},
			Violation::None, SIZE_MAX},
		{"unknown block type with unknown delta",
			{ev("message_start", kStart),
				ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"future_block"}})"),
				ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"future_delta","x":1}})"),
				ev("content_block_stop", kStop0), ev("message_delta", kMsgDelta), ev("message_stop", kMsgStop)},
			Violation::None, SIZE_MAX},
		{"citations delta on text", insert(4, ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}})")),
			Violation::None, SIZE_MAX},
		{"redacted thinking block",
			{ev("message_start", kStart),
				ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"redacted_thinking","data":"EmwK"}})"),
				ev("content_block_stop", kStop0), ev("message_delta", kMsgDelta), ev("message_stop", kMsgStop)},
			Violation::None, SIZE_MAX},
		{"tool input in fragments", toolStream({R"("")", R"("{\"command\":")", R"("\"ls\"}")"}), Violation::None, SIZE_MAX},
		{"tool input empty means {}", toolStream({}), Violation::None, SIZE_MAX},
		{"tool input only empty fragments", toolStream({R"("")", R"("  ")"}), Violation::None, SIZE_MAX},
		{"two message_deltas", insert(6, ev("message_delta", kMsgDelta)), Violation::None, SIZE_MAX},
		{"message_delta without usage", replace(5, ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"max_tokens"}})")),
			Violation::None, SIZE_MAX},
		{"message_start usage zero output is fine", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"input_tokens":12,"output_tokens":0}}})")),
			Violation::None, SIZE_MAX},
		{"message_start fully cached prompt is fine", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"input_tokens":0,"output_tokens":1,"cache_read_input_tokens":9000}}})")),
			Violation::None, SIZE_MAX},
		{"message_start all-zero anthropic usage is a fake", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"input_tokens":0,"output_tokens":0}}})")),
			Violation::FakeUsage, 0},
		{"real usage with extra zero openai fields is fine", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"input_tokens":5,"output_tokens":1,"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}})")),
			Violation::None, SIZE_MAX},

		// UpstreamError
		{"error event first", {ev("error", R"({"type":"error","error":{"type":"rate_limit_error","message":"slow down"}})")},
			Violation::UpstreamError, 0},
		{"error with empty event name", insert(3, ev("", R"({"type":"error","error":{"type":"api_error","message":"x"}})")),
			Violation::UpstreamError, 3},
		{"error with bad json", insert(1, ev("error", "{oops")), Violation::UpstreamError, 1},
		{"error without data", insert(1, noData("error")), Violation::UpstreamError, 1},
		{"openai style error object", insert(1, ev("", R"({"error":{"message":"quota","type":"insufficient_quota"}})")),
			Violation::UpstreamError, 1},

		// FakeUsage
		{"fake usage at start", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}}})")),
			Violation::FakeUsage, 0},
		{"fake usage in message_delta", replace(5, ev("message_delta",
			R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"prompt_tokens":0,"completion_tokens":0,"total_tokens":0}})")),
			Violation::FakeUsage, 5},

		// Malformed: JSON and names
		{"broken json", replace(3, ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"})")),
			Violation::Malformed, 3},
		{"data with NUL and trailing garbage", replace(3, ev("content_block_delta", std::string(kTextDelta) + std::string(1, '\0') + "junk")),
			Violation::Malformed, 3},
		{"data is an array", replace(3, ev("content_block_delta", "[1]")), Violation::Malformed, 3},
		{"data without type", replace(3, ev("content_block_delta", R"({"index":0})")), Violation::Malformed, 3},
		{"event name differs from type", replace(3, ev("content_block_stop", kTextDelta)), Violation::Malformed, 3},
		{"unknown event name", insert(3, ev("message_update", R"({"type":"message_update"})")), Violation::Malformed, 3},
		{"unknown event with empty name", insert(3, ev("", R"({"type":"completion"})")), Violation::Malformed, 3},
		{"event without data", insert(3, noData("content_block_delta")), Violation::Malformed, 3},

		// Malformed: message_start fields
		{"message_start without message", replace(0, ev("message_start", R"({"type":"message_start"})")), Violation::Malformed, 0},
		{"message_start wrong role", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"user","model":"x","usage":{"input_tokens":1,"output_tokens":1}}})")),
			Violation::Malformed, 0},
		{"message_start wrong type", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"chat","role":"assistant","model":"x","usage":{"input_tokens":1,"output_tokens":1}}})")),
			Violation::Malformed, 0},
		{"message_start without id", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"type":"message","role":"assistant","model":"x","usage":{"input_tokens":1,"output_tokens":1}}})")),
			Violation::Malformed, 0},
		{"message_start without model", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","usage":{"input_tokens":1,"output_tokens":1}}})")),
			Violation::Malformed, 0},
		{"message_start without usage", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x"}})")),
			Violation::Malformed, 0},
		{"message_start negative tokens", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","usage":{"input_tokens":-1,"output_tokens":1}}})")),
			Violation::Malformed, 0},
		{"message_delta float tokens", replace(5, ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":1.5}})")),
			Violation::Malformed, 5},
		{"message_start usage without token counts", replace(0, ev("message_start",
			R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","usage":{"prompt_tokens":3}}})")),
			Violation::Malformed, 0},

		// Malformed: order and indexes
		{"content before message_start", without(0), Violation::Malformed, 1},
		{"second message_start", insert(2, ev("message_start", kStart)), Violation::Malformed, 2},
		{"index starts at 1", replace(2, ev("content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})")),
			Violation::Malformed, 2},
		{"index missing", replace(2, ev("content_block_start", R"({"type":"content_block_start","content_block":{"type":"text","text":""}})")),
			Violation::Malformed, 2},
		{"index skips", insert(5, ev("content_block_start", R"({"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}})")),
			Violation::Malformed, 5},
		{"index repeats", insert(5, ev("content_block_start", kTextStart)), Violation::Malformed, 5},
		{"block without type", replace(2, ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{}})")),
			Violation::Malformed, 2},
		{"nested block start", insert(4, ev("content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})")),
			Violation::Malformed, 4},
		{"delta for another index", replace(3, ev("content_block_delta", R"({"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"x"}})")),
			Violation::Malformed, 3},
		{"delta outside a block", insert(5, ev("content_block_delta", kTextDelta)), Violation::Malformed, 5},
		{"stop for another index", replace(4, ev("content_block_stop", R"({"type":"content_block_stop","index":3})")),
			Violation::Malformed, 4},
		{"stop outside a block", insert(5, ev("content_block_stop", kStop0)), Violation::Malformed, 5},
		{"message_delta with block open", without(4), Violation::Malformed, 4},
		{"message_stop with block open", {ev("message_start", kStart), ev("content_block_start", kTextStart), ev("message_stop", kMsgStop)},
			Violation::Malformed, 2},
		{"message_stop without message_delta", without(5), Violation::Malformed, 5},
		{"block after message_delta", insert(6, ev("content_block_start", R"({"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}})")),
			Violation::Malformed, 6},
		{"event after message_stop", [&] {
			 auto v = happy;
			 v.push_back(ev("message_delta", kMsgDelta));
			 return v;
		 }(), Violation::Malformed, 7},
		{"message_delta without stop_reason", replace(5, ev("message_delta", R"({"type":"message_delta","delta":{},"usage":{"output_tokens":1}})")),
			Violation::Malformed, 5},
		{"message_delta without delta", replace(5, ev("message_delta", R"({"type":"message_delta","usage":{"output_tokens":1}})")),
			Violation::Malformed, 5},
		{"message_delta usage not an object", replace(5, ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":7})")),
			Violation::Malformed, 5},
		{"stop_reason only null", replace(5, ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":null}})")),
			Violation::Malformed, 6},

		// Malformed: delta types
		{"delta without type", replace(3, ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"text":"x"}})")),
			Violation::Malformed, 3},
		{"input_json_delta in text block", replace(3, ev("content_block_delta",
			R"({"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{}"}})")),
			Violation::Malformed, 3},
		{"thinking_delta in text block", replace(3, ev("content_block_delta",
			R"({"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"x"}})")),
			Violation::Malformed, 3},
		{"text_delta without text", replace(3, ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}})")),
			Violation::Malformed, 3},
		{"text_delta in thinking block",
			{ev("message_start", kStart), ev("content_block_start", thinkingStart), ev("content_block_delta", kTextDelta)},
			Violation::Malformed, 2},
		{"signature_delta in thinking block is fine",
			{ev("message_start", kStart), ev("content_block_start", thinkingStart),
				ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}})"),
				ev("content_block_stop", kStop0), ev("message_delta", kMsgDelta), ev("message_stop", kMsgStop)},
			Violation::None, SIZE_MAX},
		{"signature_delta in tool block",
			{ev("message_start", kStart), ev("content_block_start", toolStart),
				ev("content_block_delta", R"({"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"abc"}})")},
			Violation::Malformed, 2},
		{"tool_use without name", {ev("message_start", kStart),
			ev("content_block_start", R"({"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","input":{}}})")},
			Violation::Malformed, 1},
		{"partial_json not a string", toolStream({"{}"}), Violation::Malformed, 2},

		// Truncated tool input
		{"tool input cut short", toolStream({R"("{\"command\":\"l")"}), Violation::Truncated, 3},
		{"tool input unbalanced", toolStream({R"("{\"a\":[1,2}")"}), Violation::Truncated, 3},
		{"tool input two objects", toolStream({R"("{}{}")"}), Violation::Truncated, 3},
		{"tool input not an object", toolStream({R"("[1,2]")"}), Violation::Malformed, 3},
	};
	for (const auto & c : cases)
	{
		Outcome o = run(c.events);
		EXPECT_EQ(o.onEvents.violation, c.expected) << c.name << ": " << o.onEvents.message;
		EXPECT_EQ(o.failedAt, c.failedAt) << c.name << ": " << o.onEvents.message;
		if (c.expected != Violation::None)
		{
			EXPECT_FALSE(o.onEvents.message.empty()) << c.name;
			EXPECT_EQ(o.finish.violation, c.expected) << c.name;
		}
		else
		{
			EXPECT_TRUE(o.finish.ok()) << c.name << ": " << o.finish.message;
		}
	}
}

TEST(AnthropicStream, ProvenOnlyAfterFirstContentEvent)
{
	{
		StreamValidator v;
		v.onEvent(ev("ping", kPing));
		v.onEvent(ev("message_start", kStart));
		v.onEvent(ev("ping", kPing));
		EXPECT_FALSE(v.proven());
		v.onEvent(ev("message_delta", kMsgDelta));
		EXPECT_TRUE(v.proven());
	}
	{
		// A bad first content event does not prove the stream.
		StreamValidator v;
		v.onEvent(ev("message_start", kStart));
		EXPECT_FALSE(v.onEvent(ev("content_block_start", R"({"type":"content_block_start","index":4,"content_block":{"type":"text"}})")).ok());
		EXPECT_FALSE(v.proven());
	}
}

TEST(AnthropicStream, UsageMerging)
{
	StreamValidator v;
	v.onEvent(ev("message_start",
		R"({"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"usage":{"input_tokens":100,"output_tokens":1,"cache_creation_input_tokens":null,"cache_read_input_tokens":50}}})"));
	EXPECT_EQ(v.usage().input_tokens, 100);
	EXPECT_EQ(v.usage().output_tokens, 1);
	EXPECT_EQ(v.usage().cache_creation_input_tokens, -1);
	EXPECT_EQ(v.usage().cache_read_input_tokens, 50);
	v.onEvent(ev("message_delta", R"({"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"output_tokens":77,"cache_creation_input_tokens":9}})"));
	EXPECT_EQ(v.usage().input_tokens, 100);
	EXPECT_EQ(v.usage().output_tokens, 77);
	EXPECT_EQ(v.usage().cache_creation_input_tokens, 9);
	EXPECT_EQ(v.usage().cache_read_input_tokens, 50);
	EXPECT_TRUE(v.onEvent(ev("message_stop", kMsgStop)).ok());
	EXPECT_TRUE(v.finish().ok());
}
