#include "ccc/config/duration.h"

#include <cctype>
#include <cmath>

namespace ccc::config
{

namespace
{

bool parseNumber(std::string_view s, size_t & i, double & value)
{
	size_t start = i;
	double whole = 0;
	bool digits = false;
	while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
	{
		whole = whole * 10 + (s[i] - '0');
		++i;
		digits = true;
	}
	double frac = 0, scale = 1;
	if (i < s.size() && s[i] == '.')
	{
		++i;
		while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])))
		{
			frac = frac * 10 + (s[i] - '0');
			scale *= 10;
			++i;
			digits = true;
		}
	}
	value = whole + frac / scale;
	return digits && i > start;
}

std::string_view trim(std::string_view s)
{
	while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
		s.remove_prefix(1);
	while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
		s.remove_suffix(1);
	return s;
}

} // namespace

std::optional<int64_t> parseDurationMs(std::string_view text)
{
	std::string_view s = trim(text);
	if (s.empty())
		return std::nullopt;
	if (s == "0")
		return 0;
	size_t i = 0;
	double totalMs = 0;
	bool any = false;
	while (i < s.size())
	{
		double value = 0;
		if (!parseNumber(s, i, value))
			return std::nullopt;
		size_t unitStart = i;
		while (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])))
			++i;
		std::string_view unit = s.substr(unitStart, i - unitStart);
		double factor;
		if (unit.empty())
		{
			// A bare number: seconds, but only as the whole value ("90", not "1m30").
			if (any || i != s.size())
				return std::nullopt;
			factor = 1000;
		}
		else if (unit == "ns")
			factor = 1e-6;
		else if (unit == "us" || unit == "µs")
			factor = 1e-3;
		else if (unit == "ms")
			factor = 1;
		else if (unit == "s")
			factor = 1000;
		else if (unit == "m")
			factor = 60000;
		else if (unit == "h")
			factor = 3600000;
		else
			return std::nullopt;
		totalMs += value * factor;
		any = true;
	}
	if (!any || totalMs > 9.2e15)
		return std::nullopt;
	return static_cast<int64_t>(std::llround(totalMs));
}

std::string formatDurationMs(int64_t ms)
{
	if (ms == 0)
		return "0s";
	std::string out;
	if (ms < 0)
	{
		out = "-";
		ms = -ms;
	}
	if (ms < 1000)
		return out + std::to_string(ms) + "ms";
	int64_t h = ms / 3600000;
	int64_t m = (ms / 60000) % 60;
	int64_t s = (ms / 1000) % 60;
	int64_t rest = ms % 1000;
	if (h)
		out += std::to_string(h) + "h";
	if (h || m)
		out += std::to_string(m) + "m";
	out += std::to_string(s);
	if (rest)
	{
		char buf[8];
		int n = 0;
		int64_t r = rest;
		// three digits, trailing zeros dropped: 1.5s, 1.25s
		buf[n++] = '.';
		buf[n++] = static_cast<char>('0' + r / 100);
		buf[n++] = static_cast<char>('0' + (r / 10) % 10);
		buf[n++] = static_cast<char>('0' + r % 10);
		while (buf[n - 1] == '0')
			--n;
		out.append(buf, static_cast<size_t>(n));
	}
	out += "s";
	return out;
}

std::optional<int64_t> parseByteSize(std::string_view text)
{
	std::string_view s = trim(text);
	size_t i = 0;
	double value = 0;
	if (!parseNumber(s, i, value))
		return std::nullopt;
	std::string_view unit = trim(s.substr(i));
	double factor = 1;
	std::string u(unit);
	for (auto & c : u)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	if (u.empty() || u == "B")
		factor = 1;
	else if (u == "K" || u == "KB" || u == "KIB")
		factor = 1024.0;
	else if (u == "M" || u == "MB" || u == "MIB")
		factor = 1024.0 * 1024;
	else if (u == "G" || u == "GB" || u == "GIB")
		factor = 1024.0 * 1024 * 1024;
	else if (u == "T" || u == "TB" || u == "TIB")
		factor = 1024.0 * 1024 * 1024 * 1024;
	else
		return std::nullopt;
	return static_cast<int64_t>(std::llround(value * factor));
}

} // namespace ccc::config
