#include "ccc/routing/glob.h"

#include <cstdint>

namespace ccc::routing
{

namespace
{

/// Length in bytes of the UTF-8 sequence starting at s[i] (1 for invalid bytes).
size_t utf8Len(std::string_view s, size_t i)
{
	auto c = static_cast<unsigned char>(s[i]);
	size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
	return i + n <= s.size() ? n : 1;
}

uint32_t decode(std::string_view s, size_t i, size_t n)
{
	auto c = static_cast<unsigned char>(s[i]);
	if (n == 1)
		return c;
	uint32_t cp = c & (0xFF >> (n + 1));
	for (size_t k = 1; k < n; ++k)
		cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
	return cp;
}

/// Matches a class starting at pattern[p] == '['. Sets `end` past the closing ']'.
/// Returns false in `ok` when the class is malformed.
bool matchClass(std::string_view pat, size_t p, uint32_t ch, size_t & end, bool & ok)
{
	size_t i = p + 1;
	bool negate = false;
	if (i < pat.size() && (pat[i] == '!' || pat[i] == '^'))
	{
		negate = true;
		++i;
	}
	bool matched = false;
	bool first = true;
	while (i < pat.size() && (pat[i] != ']' || first))
	{
		first = false;
		size_t n;
		uint32_t lo;
		if (pat[i] == '\\' && i + 1 < pat.size())
			++i;
		n = utf8Len(pat, i);
		lo = decode(pat, i, n);
		i += n;
		uint32_t hi = lo;
		if (i + 1 < pat.size() && pat[i] == '-' && pat[i + 1] != ']')
		{
			++i;
			if (pat[i] == '\\' && i + 1 < pat.size())
				++i;
			n = utf8Len(pat, i);
			hi = decode(pat, i, n);
			i += n;
		}
		if (lo <= ch && ch <= hi)
			matched = true;
	}
	if (i >= pat.size())
	{
		ok = false;
		return false;
	}
	end = i + 1;
	ok = true;
	return matched != negate;
}

} // namespace

bool globMatch(std::string_view pat, std::string_view text)
{
	// Iterative matcher with single-star backtracking: linear-ish, no recursion, no regex.
	size_t p = 0, t = 0;
	size_t starP = std::string_view::npos, starT = 0;
	while (t < text.size())
	{
		if (p < pat.size())
		{
			char c = pat[p];
			if (c == '*')
			{
				while (p < pat.size() && pat[p] == '*')
					++p;
				if (p == pat.size())
					return true;
				starP = p;
				starT = t;
				continue;
			}
			size_t tn = utf8Len(text, t);
			if (c == '?')
			{
				++p;
				t += tn;
				continue;
			}
			if (c == '[')
			{
				size_t end = 0;
				bool ok = true;
				if (matchClass(pat, p, decode(text, t, tn), end, ok) && ok)
				{
					p = end;
					t += tn;
					continue;
				}
				if (!ok)
					return false;
			}
			else
			{
				size_t pp = p;
				if (c == '\\' && p + 1 < pat.size())
					++pp;
				size_t pn = utf8Len(pat, pp);
				if (pn == tn && pat.compare(pp, pn, text.substr(t, tn)) == 0)
				{
					p = pp + pn;
					t += tn;
					continue;
				}
			}
		}
		if (starP != std::string_view::npos)
		{
			p = starP;
			starT += utf8Len(text, starT);
			t = starT;
			continue;
		}
		return false;
	}
	while (p < pat.size() && pat[p] == '*')
		++p;
	return p == pat.size();
}

std::string globError(std::string_view pat)
{
	for (size_t i = 0; i < pat.size(); ++i)
	{
		if (pat[i] == '\\')
		{
			if (i + 1 == pat.size())
				return "ends with a lone backslash";
			++i;
		}
		else if (pat[i] == '[')
		{
			size_t end = 0;
			bool ok = true;
			matchClass(pat, i, 0, end, ok);
			if (!ok)
				return "unterminated [ character class";
			i = end - 1;
		}
	}
	return {};
}

} // namespace ccc::routing
