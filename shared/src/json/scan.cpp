#include "ccc/json/scan.h"

#include <cstdint>
#include <cstring>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "json/scan_internal.h"

namespace ccc::json
{

namespace detail
{

namespace
{

constexpr uint64_t kOnes = 0x0101010101010101ULL;
constexpr uint64_t kHighs = 0x8080808080808080ULL;

inline uint64_t load64(const char * p)
{
	uint64_t v;
	std::memcpy(&v, p, sizeof v);
	return v;
}

/// Bit 7 of each byte set where the byte is zero. Borrows can flag bytes above a real hit as
/// well, but the lowest flagged byte is always exact, which is all the callers use.
inline uint64_t zeroBytes(uint64_t v) { return (v - kOnes) & ~v & kHighs; }

/// Offset of the first byte in [p, e) that ends a run of plain string content: '"', '\\' or a
/// control character. Sixteen bytes per step with SSE2, eight (SWAR) on other little-endian targets: string content is most
/// of the bytes of a Claude Code request, so this loop is the scanner's hot path.
inline const char * findStringSpecial(const char * p, const char * e)
{
#if defined(__SSE2__)
	const __m128i quoteV = _mm_set1_epi8('"');
	const __m128i slashV = _mm_set1_epi8('\\');
	const __m128i ctlMax = _mm_set1_epi8(0x1F);
	while (e - p >= 16)
	{
		__m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i *>(p));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quoteV), _mm_cmpeq_epi8(x, slashV)),
			_mm_cmpeq_epi8(_mm_min_epu8(x, ctlMax), x)); // unsigned c <= 0x1F
		int mask = _mm_movemask_epi8(hit);
		if (mask)
			return p + __builtin_ctz(unsigned(mask));
		p += 16;
	}
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	while (e - p >= 8)
	{
		uint64_t x = load64(p);
		uint64_t hit = zeroBytes(x ^ (kOnes * '"')) | zeroBytes(x ^ (kOnes * '\\'))
			| ((x - kOnes * 0x20) & ~x & kHighs);
		if (hit)
			return p + (__builtin_ctzll(hit) >> 3);
		p += 8;
	}
#endif
	while (p < e)
	{
		unsigned char c = static_cast<unsigned char>(*p);
		if (c == '"' || c == '\\' || c < 0x20)
			return p;
		++p;
	}
	return e;
}

inline bool isHex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

inline bool isDigit(char c) { return c >= '0' && c <= '9'; }

} // namespace

const char * skipString(const char * p, const char * e)
{
	// p is at the opening quote.
	++p;
	while (true)
	{
		p = findStringSpecial(p, e);
		if (p == e)
			return nullptr;
		char c = *p;
		if (c == '"')
			return p + 1;
		if (c != '\\')
			return nullptr; // raw control character
		if (e - p < 2)
			return nullptr;
		switch (p[1])
		{
		case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
			p += 2;
			break;
		case 'u':
			if (e - p < 6 || !isHex(p[2]) || !isHex(p[3]) || !isHex(p[4]) || !isHex(p[5]))
				return nullptr;
			p += 6;
			break;
		default:
			return nullptr;
		}
	}
}

const char * skipNumber(const char * p, const char * e)
{
	if (p < e && *p == '-')
		++p;
	if (p == e)
		return nullptr;
	if (*p == '0')
		++p;
	else if (*p >= '1' && *p <= '9')
	{
		while (p < e && isDigit(*p))
			++p;
	}
	else
		return nullptr;
	if (p < e && *p == '.')
	{
		++p;
		if (p == e || !isDigit(*p))
			return nullptr;
		while (p < e && isDigit(*p))
			++p;
	}
	if (p < e && (*p == 'e' || *p == 'E'))
	{
		++p;
		if (p < e && (*p == '+' || *p == '-'))
			++p;
		if (p == e || !isDigit(*p))
			return nullptr;
		while (p < e && isDigit(*p))
			++p;
	}
	return p;
}

const char * skipValue(const char * p, const char * e, int maxDepth)
{
	// Iterative, with the container kinds kept in a bit stack: hostile nesting can neither exhaust
	// the C++ stack nor go past maxDepth.
	if (maxDepth > kMaxDepth)
		maxDepth = kMaxDepth;
	uint64_t kinds[(kMaxDepth + 63) / 64] = {}; // bit set = object, clear = array
	int depth = 0;
	auto push = [&](bool object) {
		if (object)
			kinds[depth >> 6] |= (uint64_t(1) << (depth & 63));
		else
			kinds[depth >> 6] &= ~(uint64_t(1) << (depth & 63));
		++depth;
	};
	auto topIsObject = [&]() { return (kinds[(depth - 1) >> 6] >> ((depth - 1) & 63)) & 1; };

	p = skipWs(p, e);
value:
	if (p == e)
		return nullptr;
	switch (*p)
	{
	case '"':
		p = skipString(p, e);
		if (!p)
			return nullptr;
		break;
	case '{':
		if (depth >= maxDepth)
			return nullptr;
		push(true);
		p = skipWs(p + 1, e);
		if (p < e && *p == '}')
		{
			++p;
			--depth;
			break;
		}
		goto key;
	case '[':
		if (depth >= maxDepth)
			return nullptr;
		push(false);
		p = skipWs(p + 1, e);
		if (p < e && *p == ']')
		{
			++p;
			--depth;
			break;
		}
		goto value;
	case 't':
		if (e - p < 4 || std::memcmp(p, "true", 4) != 0)
			return nullptr;
		p += 4;
		break;
	case 'f':
		if (e - p < 5 || std::memcmp(p, "false", 5) != 0)
			return nullptr;
		p += 5;
		break;
	case 'n':
		if (e - p < 4 || std::memcmp(p, "null", 4) != 0)
			return nullptr;
		p += 4;
		break;
	default:
		p = skipNumber(p, e);
		if (!p)
			return nullptr;
		break;
	}
afterValue:
	if (depth == 0)
		return p;
	p = skipWs(p, e);
	if (p == e)
		return nullptr;
	if (*p == ',')
	{
		p = skipWs(p + 1, e);
		if (topIsObject())
			goto key;
		goto value;
	}
	if (*p == (topIsObject() ? '}' : ']'))
	{
		++p;
		--depth;
		goto afterValue;
	}
	return nullptr;
key:
	if (p == e || *p != '"')
		return nullptr;
	p = skipString(p, e);
	if (!p)
		return nullptr;
	p = skipWs(p, e);
	if (p == e || *p != ':')
		return nullptr;
	p = skipWs(p + 1, e);
	goto value;
}

namespace
{

void appendUtf8(std::string & out, uint32_t cp)
{
	if (cp < 0x80)
		out.push_back(static_cast<char>(cp));
	else if (cp < 0x800)
	{
		out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
		out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
	}
	else if (cp < 0x10000)
	{
		out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
		out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
		out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
	}
	else
	{
		out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
		out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
		out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
		out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
	}
}

uint32_t hex4(const char * p)
{
	uint32_t v = 0;
	for (int i = 0; i < 4; ++i)
	{
		char c = p[i];
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= uint32_t(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= uint32_t(c - 'a' + 10);
		else
			v |= uint32_t(c - 'A' + 10);
	}
	return v;
}

} // namespace

bool decodeValidString(const char * p, const char * e, std::string & out)
{
	// [p, e) is a string token already validated by skipString, quotes included.
	out.clear();
	++p;
	--e;
	out.reserve(static_cast<size_t>(e - p));
	while (p < e)
	{
		const char * s = findStringSpecial(p, e);
		out.append(p, static_cast<size_t>(s - p));
		p = s;
		if (p == e)
			break;
		if (*p != '\\')
			return false;
		char c = p[1];
		p += 2;
		switch (c)
		{
		case '"': out.push_back('"'); break;
		case '\\': out.push_back('\\'); break;
		case '/': out.push_back('/'); break;
		case 'b': out.push_back('\b'); break;
		case 'f': out.push_back('\f'); break;
		case 'n': out.push_back('\n'); break;
		case 'r': out.push_back('\r'); break;
		case 't': out.push_back('\t'); break;
		case 'u':
		{
			uint32_t cp = hex4(p);
			p += 4;
			if (cp >= 0xD800 && cp <= 0xDBFF)
			{
				if (e - p >= 6 && p[0] == '\\' && p[1] == 'u')
				{
					uint32_t lo = hex4(p + 2);
					if (lo >= 0xDC00 && lo <= 0xDFFF)
					{
						cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
						p += 6;
					}
					else
						cp = 0xFFFD;
				}
				else
					cp = 0xFFFD;
			}
			else if (cp >= 0xDC00 && cp <= 0xDFFF)
				cp = 0xFFFD; // a lone low surrogate has no UTF-8 form
			appendUtf8(out, cp);
			break;
		}
		default:
			return false;
		}
	}
	return true;
}

bool scanMembers(std::string_view doc, size_t begin, size_t end, std::vector<Member> & members)
{
	members.clear();
	const char * base = doc.data();
	const char * p = skipWs(base + begin, base + end);
	const char * e = base + end;
	if (p == e || *p != '{')
		return false;
	p = skipWs(p + 1, e);
	if (p < e && *p == '}')
		return skipWs(p + 1, e) == e;
	while (true)
	{
		if (p == e || *p != '"')
			return false;
		const char * k = p;
		p = skipString(p, e);
		if (!p)
			return false;
		Member m;
		m.keySpan = Span{size_t(k - base), size_t(p - base)};
		if (!decodeValidString(k, p, m.key))
			return false;
		p = skipWs(p, e);
		if (p == e || *p != ':')
			return false;
		p = skipWs(p + 1, e);
		const char * v = p;
		p = skipValue(p, e, kMaxDepth - 1);
		if (!p)
			return false;
		m.valueSpan = Span{size_t(v - base), size_t(p - base)};
		members.push_back(std::move(m));
		p = skipWs(p, e);
		if (p == e)
			return false;
		if (*p == ',')
		{
			p = skipWs(p + 1, e);
			continue;
		}
		if (*p == '}')
			return skipWs(p + 1, e) == e;
		return false;
	}
}

bool scanElements(std::string_view doc, size_t begin, size_t end, std::vector<Span> & elements)
{
	elements.clear();
	const char * base = doc.data();
	const char * p = skipWs(base + begin, base + end);
	const char * e = base + end;
	if (p == e || *p != '[')
		return false;
	p = skipWs(p + 1, e);
	if (p < e && *p == ']')
		return skipWs(p + 1, e) == e;
	while (true)
	{
		const char * v = p;
		p = skipValue(p, e, kMaxDepth - 1);
		if (!p)
			return false;
		elements.push_back(Span{size_t(v - base), size_t(p - base)});
		p = skipWs(p, e);
		if (p == e)
			return false;
		if (*p == ',')
		{
			p = skipWs(p + 1, e);
			continue;
		}
		if (*p == ']')
			return skipWs(p + 1, e) == e;
		return false;
	}
}

bool parseInt64(std::string_view text, int64_t & out)
{
	size_t i = 0;
	bool negative = false;
	if (i < text.size() && text[i] == '-')
	{
		negative = true;
		++i;
	}
	if (i == text.size())
		return false;
	if (text[i] == '0' && text.size() - i > 1)
		return false;
	uint64_t v = 0;
	const uint64_t limit = negative ? uint64_t(INT64_MAX) + 1 : uint64_t(INT64_MAX);
	for (; i < text.size(); ++i)
	{
		char c = text[i];
		if (!isDigit(c))
			return false;
		uint64_t d = uint64_t(c - '0');
		if (v > (limit - d) / 10)
			return false;
		v = v * 10 + d;
	}
	if (negative)
		out = v == uint64_t(INT64_MAX) + 1 ? INT64_MIN : -int64_t(v);
	else
		out = int64_t(v);
	return true;
}

} // namespace detail

using namespace detail;

bool scanObject(std::string_view doc, std::vector<Member> & members)
{
	return scanMembers(doc, 0, doc.size(), members);
}

bool scanObjectAt(std::string_view doc, Span span, std::vector<Member> & members)
{
	if (span.begin > span.end || span.end > doc.size())
	{
		members.clear();
		return false;
	}
	return scanMembers(doc, span.begin, span.end, members);
}

bool scanArrayAt(std::string_view doc, Span span, std::vector<Span> & elements)
{
	if (span.begin > span.end || span.end > doc.size())
	{
		elements.clear();
		return false;
	}
	return scanElements(doc, span.begin, span.end, elements);
}

namespace
{

struct PathStep
{
	bool isIndex = false;
	std::string key;
	int64_t index = 0;
};

/// Parses `a.b[2]."x.y"[-1]` into steps; false on a malformed path.
bool parsePath(std::string_view path, std::vector<PathStep> & steps)
{
	size_t i = 0;
	bool expectKey = true; // at the start or after a '.'
	while (i < path.size())
	{
		char c = path[i];
		if (c == '[')
		{
			size_t close = path.find(']', i);
			if (close == std::string_view::npos)
				return false;
			PathStep s;
			s.isIndex = true;
			if (!parseInt64(path.substr(i + 1, close - i - 1), s.index))
				return false;
			steps.push_back(std::move(s));
			i = close + 1;
			expectKey = false;
			continue;
		}
		if (c == '.')
		{
			if (expectKey)
				return false; // empty key segment ("a..b", ".a")
			++i;
			expectKey = true;
			if (i == path.size())
				return false;
			continue;
		}
		if (!expectKey)
			return false; // "a[0]b"
		PathStep s;
		if (c == '"')
		{
			++i;
			bool closed = false;
			while (i < path.size())
			{
				char d = path[i++];
				if (d == '\\' && i < path.size())
					s.key.push_back(path[i++]);
				else if (d == '"')
				{
					closed = true;
					break;
				}
				else
					s.key.push_back(d);
			}
			if (!closed)
				return false;
		}
		else
		{
			size_t j = i;
			while (j < path.size() && path[j] != '.' && path[j] != '[')
				++j;
			s.key.assign(path.substr(i, j - i));
			i = j;
		}
		steps.push_back(std::move(s));
		expectKey = false;
	}
	return !(expectKey && !steps.empty());
}

/// Keys compare without decoding when the raw key has no escape (the common case).
bool keyEquals(const char * k, const char * kEnd, std::string_view want, std::string & scratch)
{
	std::string_view raw(k + 1, size_t(kEnd - k - 2));
	if (raw.find('\\') == std::string_view::npos)
		return raw == want;
	return decodeValidString(k, kEnd, scratch) && scratch == want;
}

} // namespace

std::optional<Span> findPath(std::string_view doc, std::string_view path)
{
	std::vector<PathStep> steps;
	if (!parsePath(path, steps))
		return std::nullopt;
	const char * base = doc.data();
	const char * e = base + doc.size();
	const char * p = skipWs(base, e);
	std::string scratch;
	int depth = 0;
	for (const auto & step : steps)
	{
		if (++depth >= kMaxDepth)
			return std::nullopt;
		if (p == e)
			return std::nullopt;
		if (!step.isIndex)
		{
			if (*p != '{')
				return std::nullopt;
			// Walk the members; the last duplicate wins, as in most parsers.
			p = skipWs(p + 1, e);
			const char * found = nullptr;
			const char * foundEnd = nullptr;
			if (p < e && *p == '}')
				return std::nullopt;
			while (true)
			{
				if (p == e || *p != '"')
					return std::nullopt;
				const char * k = p;
				p = skipString(p, e);
				if (!p)
					return std::nullopt;
				bool match = keyEquals(k, p, step.key, scratch);
				p = skipWs(p, e);
				if (p == e || *p != ':')
					return std::nullopt;
				p = skipWs(p + 1, e);
				const char * v = p;
				p = skipValue(p, e, kMaxDepth - depth);
				if (!p)
					return std::nullopt;
				if (match)
				{
					found = v;
					foundEnd = p;
				}
				p = skipWs(p, e);
				if (p == e)
					return std::nullopt;
				if (*p == ',')
				{
					p = skipWs(p + 1, e);
					continue;
				}
				if (*p == '}')
					break;
				return std::nullopt;
			}
			if (!found)
				return std::nullopt;
			p = found;
			(void)foundEnd;
		}
		else
		{
			if (*p != '[')
				return std::nullopt;
			std::vector<const char *> starts;
			p = skipWs(p + 1, e);
			if (p < e && *p == ']')
				return std::nullopt;
			while (true)
			{
				starts.push_back(p);
				p = skipValue(p, e, kMaxDepth - depth);
				if (!p)
					return std::nullopt;
				p = skipWs(p, e);
				if (p == e)
					return std::nullopt;
				if (*p == ',')
				{
					p = skipWs(p + 1, e);
					continue;
				}
				if (*p == ']')
					break;
				return std::nullopt;
			}
			int64_t n = int64_t(starts.size());
			int64_t idx = step.index < 0 ? n + step.index : step.index;
			if (idx < 0 || idx >= n)
				return std::nullopt;
			p = starts[size_t(idx)];
		}
	}
	const char * end = skipValue(p, e, kMaxDepth - depth);
	if (!end)
		return std::nullopt;
	if (steps.empty() && skipWs(end, e) != e)
		return std::nullopt;
	return Span{size_t(p - base), size_t(end - base)};
}

std::optional<std::string> decodeString(std::string_view doc, Span span)
{
	if (span.begin >= span.end || span.end > doc.size())
		return std::nullopt;
	const char * p = doc.data() + span.begin;
	const char * e = doc.data() + span.end;
	if (*p != '"' || skipString(p, e) != e)
		return std::nullopt;
	std::string out;
	if (!decodeValidString(p, e, out))
		return std::nullopt;
	return out;
}

std::string quote(std::string_view text)
{
	static const char kHex[] = "0123456789abcdef";
	std::string out;
	out.reserve(text.size() + 2);
	out.push_back('"');
	for (char ch : text)
	{
		unsigned char c = static_cast<unsigned char>(ch);
		switch (c)
		{
		case '"': out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (c < 0x20)
			{
				out += "\\u00";
				out.push_back(kHex[c >> 4]);
				out.push_back(kHex[c & 0xF]);
			}
			else
				out.push_back(ch);
		}
	}
	out.push_back('"');
	return out;
}

void TopLevelEditor::set(std::string key, std::string rawJson)
{
	_edits.push_back(Edit{std::move(key), std::move(rawJson)});
}

void TopLevelEditor::remove(std::string key)
{
	_edits.push_back(Edit{std::move(key), std::nullopt});
}

bool TopLevelEditor::apply(std::string_view doc, std::string & out) const
{
	std::vector<Member> members;
	if (!scanObject(doc, members))
		return false;

	// Resolve the edits against a model of the result first, then write it in one pass so that
	// every untouched byte (whitespace, escapes, number spellings, key order) is copied verbatim.
	struct Slot
	{
		bool removed = false;
		const std::string * value = nullptr; ///< replacement value, or null to keep the original
	};
	std::vector<Slot> slots(members.size());
	struct Added
	{
		const std::string * key;
		const std::string * value;
	};
	std::vector<Added> added;
	for (const auto & edit : _edits)
	{
		bool hit = false;
		// A duplicated key is edited in every occurrence, so no parser can see the old value.
		for (size_t i = 0; i < members.size(); ++i)
		{
			if (slots[i].removed || members[i].key != edit.key)
				continue;
			hit = true;
			if (edit.value)
				slots[i].value = &*edit.value;
			else
				slots[i].removed = true;
		}
		for (size_t i = 0; i < added.size(); ++i)
		{
			if (*added[i].key != edit.key)
				continue;
			hit = true;
			if (edit.value)
				added[i].value = &*edit.value;
			else
			{
				added.erase(added.begin() + std::ptrdiff_t(i));
				--i;
			}
		}
		if (!hit && edit.value)
			added.push_back(Added{&edit.key, &*edit.value});
	}

	out.clear();
	out.reserve(doc.size() + 64);
	if (members.empty())
	{
		size_t close = doc.rfind('}');
		out.append(doc.substr(0, close));
		for (size_t i = 0; i < added.size(); ++i)
		{
			if (i)
				out.push_back(',');
			out += quote(*added[i].key);
			out.push_back(':');
			out += *added[i].value;
		}
		out.append(doc.substr(close));
		return true;
	}
	out.append(doc.substr(0, members.front().keySpan.begin));
	bool any = false;
	for (size_t i = 0; i < members.size(); ++i)
	{
		if (slots[i].removed)
			continue;
		if (any)
		{
			// The separator (comma and whitespace) that stood right before this member.
			size_t sepBegin = members[i - 1].valueSpan.end;
			out.append(doc.substr(sepBegin, members[i].keySpan.begin - sepBegin));
		}
		any = true;
		const Member & m = members[i];
		out.append(doc.substr(m.keySpan.begin, m.valueSpan.begin - m.keySpan.begin));
		if (slots[i].value)
			out += *slots[i].value;
		else
			out.append(m.valueSpan.of(doc));
	}
	for (const auto & a : added)
	{
		if (any)
			out.push_back(',');
		any = true;
		out += quote(*a.key);
		out.push_back(':');
		out += *a.value;
	}
	out.append(doc.substr(members.back().valueSpan.end));
	return true;
}

} // namespace ccc::json
