#include <gtest/gtest.h>

#include <random>

#include "ccc/sse/parser.h"

using ccc::sse::Event;
using ccc::sse::Parser;

namespace
{

std::vector<Event> parseAll(const std::vector<std::string> & chunks, bool finish = true)
{
	Parser p;
	std::vector<Event> out;
	for (const auto & c : chunks)
		p.feed(c, out);
	if (finish)
		p.finish(out);
	return out;
}

const std::string kStream = "event: message_start\ndata: {\"type\":\"message_start\"}\n\n"
							": keep-alive comment\n\n"
							"event: ping\r\ndata: {\"type\": \"ping\"}\r\n\r\n"
							"data: line one\ndata: line two\n\n"
							"event: content_block_delta\rdata: {\"t\":\"中文\"}\r\r"
							"event: message_stop\ndata: {}\n\n";

} // namespace

TEST(SseParser, ParsesFieldsAndLineEndings)
{
	auto ev = parseAll({kStream});
	ASSERT_EQ(ev.size(), 5u);
	EXPECT_EQ(ev[0].event, "message_start");
	EXPECT_EQ(ev[0].data, "{\"type\":\"message_start\"}");
	EXPECT_EQ(ev[1].event, "ping");
	EXPECT_EQ(ev[2].event, "");
	EXPECT_EQ(ev[2].data, "line one\nline two");
	EXPECT_EQ(ev[3].data, "{\"t\":\"中文\"}");
	EXPECT_EQ(ev[4].event, "message_stop");
	// raw bytes concatenate back to the input
	std::string joined;
	for (auto & e : ev)
		joined += e.raw;
	EXPECT_EQ(joined, kStream);
}

TEST(SseParser, AnySplitGivesSameEvents)
{
	auto whole = parseAll({kStream});
	// byte by byte
	std::vector<std::string> bytes;
	for (char c : kStream)
		bytes.emplace_back(1, c);
	auto one = parseAll(bytes);
	ASSERT_EQ(one.size(), whole.size());
	for (size_t i = 0; i < whole.size(); ++i)
	{
		EXPECT_EQ(one[i].event, whole[i].event);
		EXPECT_EQ(one[i].data, whole[i].data);
		EXPECT_EQ(one[i].raw, whole[i].raw);
	}
	std::mt19937 rng(42);
	for (int round = 0; round < 200; ++round)
	{
		std::vector<std::string> chunks;
		size_t pos = 0;
		while (pos < kStream.size())
		{
			size_t n = 1 + rng() % 17;
			chunks.push_back(kStream.substr(pos, n));
			pos += n;
		}
		auto ev = parseAll(chunks);
		ASSERT_EQ(ev.size(), whole.size()) << "round " << round;
		for (size_t i = 0; i < whole.size(); ++i)
		{
			EXPECT_EQ(ev[i].data, whole[i].data);
			EXPECT_EQ(ev[i].raw, whole[i].raw);
		}
	}
}

TEST(SseParser, BomAndUnterminatedTail)
{
	auto ev = parseAll({"\xEF\xBB", "\xBF", "data: a\n\ndata: tail"});
	ASSERT_EQ(ev.size(), 2u);
	EXPECT_EQ(ev[0].data, "a");
	EXPECT_EQ(ev[1].data, "tail");
	auto noFinish = parseAll({"data: a\n\ndata: tail"}, false);
	EXPECT_EQ(noFinish.size(), 1u);
}

TEST(SseParser, Serialize)
{
	EXPECT_EQ(ccc::sse::serialize("ping", "{}"), "event: ping\ndata: {}\n\n");
	EXPECT_EQ(ccc::sse::serialize("", "a\nb"), "data: a\ndata: b\n\n");
}

TEST(SseParser, OverlongLineStopsTheStream)
{
	// The tail of an overlong line must not be parsed as a line of its own (it could carry
	// "data:"), and nothing after it is reported.
	Parser p;
	std::vector<Event> out;
	p.feed("data: first\n\n", out);
	std::string line = "data: " + std::string(Parser::kMaxLine, 'x');
	p.feed(line, out);
	EXPECT_TRUE(p.overflowed());
	p.feed("\ndata: tail\n\nevent: after\ndata: x\n\n", out);
	EXPECT_TRUE(p.overflowed());
	p.finish(out);
	ASSERT_EQ(out.size(), 1u);
	EXPECT_EQ(out[0].data, "first");
}
