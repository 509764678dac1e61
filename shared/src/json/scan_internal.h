#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ccc/json/scan.h"

/// Scanner primitives shared by the json and anthropic modules (private to ccc_shared).
/// Every `skip*` takes [p, e) and returns one past the token, or nullptr on a syntax error.
namespace ccc::json::detail
{

/// Deepest nesting of arrays and objects accepted; deeper input is rejected, never recursed into.
constexpr int kMaxDepth = 512;

inline const char * skipWs(const char * p, const char * e)
{
	while (p < e && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
		++p;
	return p;
}

const char * skipString(const char * p, const char * e);
const char * skipNumber(const char * p, const char * e);
/// One complete value with at most `maxDepth` levels of nesting (capped at kMaxDepth).
const char * skipValue(const char * p, const char * e, int maxDepth = kMaxDepth);

/// Decodes a string token that skipString accepted (quotes included).
bool decodeValidString(const char * p, const char * e, std::string & out);

bool scanMembers(std::string_view doc, size_t begin, size_t end, std::vector<Member> & members);
bool scanElements(std::string_view doc, size_t begin, size_t end, std::vector<Span> & elements);

/// A JSON integer (no fraction, no exponent) that fits int64.
bool parseInt64(std::string_view text, int64_t & out);

} // namespace ccc::json::detail
