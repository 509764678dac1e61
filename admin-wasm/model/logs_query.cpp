#include "model/logs_query.h"

#include <algorithm>
#include <cstdio>

#include "model/api_client.h"

namespace ccc::admin
{

namespace
{

std::string trimmed(const std::string & s)
{
	size_t b = s.find_first_not_of(" \t\r\n");
	if (b == std::string::npos)
		return "";
	size_t e = s.find_last_not_of(" \t\r\n");
	return s.substr(b, e - b + 1);
}

// Howard Hinnant's days-from-civil: no time zone database, no locale, identical in wasm.
int64_t daysFromCivil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int64_t era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = static_cast<unsigned>(y - era * 400);
	const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civilFromDays(int64_t z, int64_t & y, unsigned & m, unsigned & d)
{
	z += 719468;
	const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = static_cast<unsigned>(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = static_cast<int64_t>(yoe) + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
}

} // namespace

const char * logsTimePresetName(LogsTimePreset p)
{
	switch (p)
	{
		case LogsTimePreset::All: return "all";
		case LogsTimePreset::Last15Min: return "15m";
		case LogsTimePreset::LastHour: return "1h";
		case LogsTimePreset::Last24Hours: return "24h";
		case LogsTimePreset::Last7Days: return "7d";
		case LogsTimePreset::Custom: return "custom";
	}
	return "all";
}

bool LogsFilters::operator==(const LogsFilters & o) const
{
	return time == o.time && custom_from_ms == o.custom_from_ms && custom_to_ms == o.custom_to_ms && endpoint == o.endpoint
		&& model == o.model && status == o.status && tag == o.tag && session == o.session && q == o.q
		&& request_id == o.request_id;
}

api::LogsListParams logsParams(const LogsFilters & filters, int64_t nowMs, int limit)
{
	api::LogsListParams p;
	int64_t span = 0;
	switch (filters.time)
	{
		case LogsTimePreset::All: break;
		case LogsTimePreset::Last15Min: span = 15LL * 60 * 1000; break;
		case LogsTimePreset::LastHour: span = 60LL * 60 * 1000; break;
		case LogsTimePreset::Last24Hours: span = 24LL * 60 * 60 * 1000; break;
		case LogsTimePreset::Last7Days: span = 7LL * 24 * 60 * 60 * 1000; break;
		case LogsTimePreset::Custom:
			p.from_ms = filters.custom_from_ms >= 0 ? filters.custom_from_ms : -1;
			p.to_ms = filters.custom_to_ms >= 0 ? filters.custom_to_ms : -1;
			// The service refuses to <= from: an inverted range is read as its mirror image.
			if (p.from_ms >= 0 && p.to_ms >= 0 && p.to_ms <= p.from_ms)
				std::swap(p.from_ms, p.to_ms), ++p.to_ms;
			break;
	}
	if (span > 0)
		p.from_ms = std::max<int64_t>(0, nowMs - span);
	p.endpoint = trimmed(filters.endpoint);
	p.model = trimmed(filters.model);
	p.status = api::isValidStatusClass(trimmed(filters.status)) ? trimmed(filters.status) : "";
	p.tag = trimmed(filters.tag);
	p.session = trimmed(filters.session);
	p.q = trimmed(filters.q);
	p.request_id = trimmed(filters.request_id);
	p.limit = std::clamp(limit, 1, 1000);
	return p;
}

std::string logsListPath(const api::LogsListParams & params)
{
	std::string path = "/admin/api/logs";
	char sep = '?';
	// toQuery() is a std::map: the order is stable (alphabetical), which tests rely on.
	for (const auto & [key, value] : params.toQuery())
	{
		path += sep;
		path += ApiClient::encodePathSegment(key) + "=" + ApiClient::encodePathSegment(value);
		sep = '&';
	}
	return path;
}

std::string formatLogTime(int64_t epochMs)
{
	if (epochMs < 0)
		return "";
	const int64_t secs = epochMs / 1000;
	int64_t y = 0;
	unsigned m = 0, d = 0;
	civilFromDays(secs / 86400, y, m, d);
	const int64_t sod = secs % 86400;
	char buf[40];
	std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld", static_cast<long long>(y), m, d,
		static_cast<long long>(sod / 3600), static_cast<long long>(sod / 60 % 60), static_cast<long long>(sod % 60));
	return buf;
}

int64_t parseLogTime(const std::string & text)
{
	const std::string t = trimmed(text);
	int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
	char tail = 0;
	int n = std::sscanf(t.c_str(), "%4d-%2d-%2d%*[ T]%2d:%2d:%2d%c", &y, &mo, &d, &h, &mi, &s, &tail);
	if (n < 3)
		return -1;
	if (n == 3)
	{
		if (t.size() != 10)
			return -1;
		h = mi = s = 0;
	}
	else if (n == 4 || n == 7)
		return -1;
	if (n == 5)
		s = 0;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60 || y < 1970)
		return -1;
	const int64_t days = daysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
	return ((days * 24 + h) * 60 + mi) * 60000LL + s * 1000LL;
}

} // namespace ccc::admin
