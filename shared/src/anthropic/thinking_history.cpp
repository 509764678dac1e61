#include "ccc/anthropic/thinking_history.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "ccc/json/scan.h"

namespace ccc::anthropic
{

namespace
{

bool isSpace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/// True for a block that must go: unsigned thinking or payload-less redacted_thinking.
bool unsignedThinking(std::string_view doc, json::Span block)
{
	if (block.end <= block.begin || doc[block.begin] != '{')
		return false;
	std::vector<json::Member> fields;
	if (!json::scanObjectAt(doc, block, fields))
		return false;
	std::optional<std::string> type;
	const json::Member * proof = nullptr;
	for (const auto & f : fields)
		if (f.key == "type")
			type = json::decodeString(doc, f.valueSpan);
	if (!type || (*type != "thinking" && *type != "redacted_thinking"))
		return false;
	const std::string proofKey = *type == "thinking" ? "signature" : "data";
	for (const auto & f : fields)
		if (f.key == proofKey)
			proof = &f;
	if (proof == nullptr)
		return true;
	std::optional<std::string> value = json::decodeString(doc, proof->valueSpan);
	return !value || value->empty();
}

} // namespace

bool mayHoldThinkingBlocks(std::string_view body)
{
	// A block's type is the string value "thinking" or "redacted_thinking": a closing quote after
	// "thinking" with a ':' before its opening quote. The top-level "thinking": {...} parameter is
	// a key (':' after it) and does not count.
	// Anchored on the 'k' (rare in text) rather than string_view::find, which stops at every 't'
	// of the body (thousands in a Claude Code request); this runs for every request sent to an
	// Anthropic endpoint.
	static constexpr std::string_view word = "thinking\"";
	static constexpr size_t kAt = 4; // word[kAt] == 'k'
	for (size_t k = body.find('k', kAt); k != std::string_view::npos; k = body.find('k', k + 1))
	{
		if (body.compare(k - kAt, word.size(), word) != 0)
			continue;
		const size_t pos = k - kAt;
		size_t open = pos;
		if (open >= 10 && body.substr(open - 10, 10) == "\"redacted_")
			open -= 10;
		else if (open >= 1 && body[open - 1] == '"')
			open -= 1;
		else
			continue;
		size_t before = open;
		while (before > 0 && isSpace(body[before - 1]))
			--before;
		if (before > 0 && body[before - 1] == ':')
			return true;
	}
	return false;
}

size_t stripUnsignedThinking(std::string_view body, std::string & out)
{
	std::vector<json::Member> top;
	if (!json::scanObject(body, top))
		return 0;
	const json::Member * messages = nullptr;
	for (const auto & m : top)
		if (m.key == "messages")
			messages = &m;
	if (messages == nullptr)
		return 0;
	std::vector<json::Span> msgs;
	if (!json::scanArrayAt(body, messages->valueSpan, msgs))
		return 0;
	std::vector<std::pair<size_t, size_t>> cuts; // [begin, end) byte ranges to drop, in order
	size_t removed = 0;
	std::vector<json::Member> fields;
	std::vector<json::Span> blocks;
	for (const json::Span & msg : msgs)
	{
		if (body[msg.begin] != '{' || !json::scanObjectAt(body, msg, fields))
			continue;
		for (const auto & f : fields)
		{
			if (f.key != "content" || body[f.valueSpan.begin] != '[' || !json::scanArrayAt(body, f.valueSpan, blocks))
				continue;
			std::vector<bool> drop(blocks.size(), false);
			size_t dropped = 0;
			for (size_t i = 0; i < blocks.size(); ++i)
				if (unsignedThinking(body, blocks[i]))
				{
					drop[i] = true;
					++dropped;
				}
			if (dropped == 0)
				continue;
			removed += dropped;
			if (dropped == blocks.size())
			{
				// Everything goes: keep the brackets, drop what is between them.
				cuts.emplace_back(f.valueSpan.begin + 1, f.valueSpan.end - 1);
				continue;
			}
			// A dropped block takes the separator after it (up to the next element); a dropped
			// last element takes the separator before it (from the previous element's end). Runs
			// of dropped blocks compose because each cut is a disjoint range.
			size_t lastKept = blocks.size();
			for (size_t i = blocks.size(); i-- > 0;)
				if (!drop[i])
				{
					lastKept = i;
					break;
				}
			for (size_t i = 0; i < blocks.size(); ++i)
			{
				if (!drop[i])
					continue;
				if (i < lastKept)
					cuts.emplace_back(blocks[i].begin, blocks[i + 1].begin);
				else
					cuts.emplace_back(blocks[i - 1].end, blocks[i].end);
			}
		}
	}
	if (removed == 0)
		return 0;
	std::sort(cuts.begin(), cuts.end());
	std::string result;
	result.reserve(body.size());
	size_t at = 0;
	for (const auto & [b, e] : cuts)
	{
		result.append(body.substr(at, b - at));
		at = e;
	}
	result.append(body.substr(at));
	out = std::move(result);
	return removed;
}

} // namespace ccc::anthropic
