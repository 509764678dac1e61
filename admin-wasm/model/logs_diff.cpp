#include "model/logs_diff.h"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace ccc::admin
{

std::vector<std::string_view> splitLines(std::string_view text)
{
	std::vector<std::string_view> out;
	size_t start = 0;
	while (start < text.size())
	{
		size_t nl = text.find('\n', start);
		size_t end = nl == std::string_view::npos ? text.size() : nl;
		std::string_view line = text.substr(start, end - start);
		if (!line.empty() && line.back() == '\r')
			line.remove_suffix(1);
		out.push_back(line);
		if (nl == std::string_view::npos)
			break;
		start = nl + 1;
	}
	return out;
}

LineDiff diffLines(std::string_view textA, std::string_view textB, size_t maxEdits)
{
	const std::vector<std::string_view> a = splitLines(textA);
	const std::vector<std::string_view> b = splitLines(textB);
	LineDiff out;
	auto push = [&out](DiffLine::Op op, std::string_view t) {
		out.lines.push_back({op, std::string(t)});
		if (op == DiffLine::Op::Added)
			++out.added;
		else if (op == DiffLine::Op::Removed)
			++out.removed;
	};

	size_t prefix = 0;
	while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix])
		++prefix;
	size_t suffix = 0;
	while (suffix < a.size() - prefix && suffix < b.size() - prefix && a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
		++suffix;
	const long n = static_cast<long>(a.size() - prefix - suffix);
	const long m = static_cast<long>(b.size() - prefix - suffix);
	auto A = [&](long i) { return a[prefix + static_cast<size_t>(i)]; };
	auto B = [&](long j) { return b[prefix + static_cast<size_t>(j)]; };

	for (size_t i = 0; i < prefix; ++i)
		push(DiffLine::Op::Same, a[i]);

	// Myers: v[k] = furthest x on diagonal k after d edits; trace keeps each round's slice
	// [-d, d] (O(D^2) memory), enough to walk the path back.
	const long maxD = std::min<long>(n + m, static_cast<long>(maxEdits));
	std::vector<std::vector<long>> trace;
	std::vector<long> v(2, 0); // index k + offset, grown per round
	long foundD = -1;
	{
		std::vector<long> prev; // v of round d-1, indexed k + (d-1)
		for (long d = 0; d <= maxD; ++d)
		{
			std::vector<long> cur(static_cast<size_t>(2 * d + 1), 0);
			auto prevAt = [&](long k) { return prev[static_cast<size_t>(k + d - 1)]; };
			bool done = false;
			for (long k = -d; k <= d; k += 2)
			{
				long x;
				if (d == 0)
					x = 0;
				else if (k == -d || (k != d && prevAt(k - 1) < prevAt(k + 1)))
					x = prevAt(k + 1); // down: insertion from b
				else
					x = prevAt(k - 1) + 1; // right: deletion from a
				long y = x - k;
				while (x < n && y < m && A(x) == B(y))
					++x, ++y;
				cur[static_cast<size_t>(k + d)] = x;
				if (x >= n && y >= m)
					done = true;
			}
			trace.push_back(cur);
			prev = std::move(cur);
			if (done)
			{
				foundD = d;
				break;
			}
		}
	}

	if (foundD < 0)
	{
		out.gave_up = true;
		for (long i = 0; i < n; ++i)
			push(DiffLine::Op::Removed, A(i));
		for (long j = 0; j < m; ++j)
			push(DiffLine::Op::Added, B(j));
	}
	else
	{
		// Walk back from (n, m), collecting the middle part in reverse.
		std::vector<DiffLine> rev;
		long x = n, y = m;
		for (long d = foundD; d > 0; --d)
		{
			const std::vector<long> & pv = trace[static_cast<size_t>(d - 1)];
			auto pAt = [&](long k) { return pv[static_cast<size_t>(k + d - 1)]; };
			const long k = x - y;
			long prevK;
			if (k == -d || (k != d && pAt(k - 1) < pAt(k + 1)))
				prevK = k + 1;
			else
				prevK = k - 1;
			const long prevX = pAt(prevK);
			const long prevY = prevX - prevK;
			while (x > prevX && y > prevY)
			{
				--x, --y;
				rev.push_back({DiffLine::Op::Same, std::string(A(x))});
			}
			if (x == prevX)
				rev.push_back({DiffLine::Op::Added, std::string(B(--y))});
			else
				rev.push_back({DiffLine::Op::Removed, std::string(A(--x))});
		}
		while (x > 0 && y > 0)
		{
			--x, --y;
			rev.push_back({DiffLine::Op::Same, std::string(A(x))});
		}
		for (auto it = rev.rbegin(); it != rev.rend(); ++it)
			push(it->op, it->text);
	}

	for (size_t i = a.size() - suffix; i < a.size(); ++i)
		push(DiffLine::Op::Same, a[i]);
	return out;
}

std::string diffableText(std::string_view body)
{
	const nlohmann::ordered_json j = nlohmann::ordered_json::parse(body.begin(), body.end(), nullptr, false);
	if (j.is_discarded() || !(j.is_object() || j.is_array()))
		return std::string(body);
	return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

} // namespace ccc::admin
