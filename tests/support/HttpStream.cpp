#include "HttpStream.h"

#include <arpa/inet.h>
#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace ccc::test
{

namespace
{
using Clock = std::chrono::steady_clock;

std::string lower(std::string s)
{
	for (auto & c : s)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return s;
}
} // namespace

std::vector<Clock::time_point> StreamedResponse::eventTimes() const
{
	// Walk the pieces, noting when each event's first byte arrived.
	std::vector<Clock::time_point> out;
	std::string acc;
	bool inEvent = false;
	for (const auto & p : pieces)
	{
		for (char c : p.bytes)
		{
			if (!inEvent && c != '\n' && c != '\r')
			{
				out.push_back(p.at);
				inEvent = true;
			}
			acc.push_back(c);
			if (acc.size() >= 2 && acc.compare(acc.size() - 2, 2, "\n\n") == 0)
			{
				inEvent = false;
				acc.clear();
			}
		}
	}
	return out;
}

std::vector<std::string> StreamedResponse::eventData(const std::string & name) const
{
	std::vector<std::string> out;
	size_t pos = 0;
	while (pos < body.size())
	{
		size_t end = body.find("\n\n", pos);
		std::string ev = body.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
		pos = end == std::string::npos ? body.size() : end + 2;
		std::string evName, data;
		size_t lp = 0;
		while (lp < ev.size())
		{
			size_t le = ev.find('\n', lp);
			std::string line = ev.substr(lp, le == std::string::npos ? std::string::npos : le - lp);
			lp = le == std::string::npos ? ev.size() : le + 1;
			if (line.rfind("event:", 0) == 0)
				evName = line.substr(line[6] == ' ' ? 7 : 6);
			else if (line.rfind("data:", 0) == 0)
				data += line.substr(line.size() > 5 && line[5] == ' ' ? 6 : 5);
		}
		if (evName == name)
			out.push_back(data);
	}
	return out;
}

std::string StreamedResponse::text() const
{
	std::string out;
	for (const auto & d : eventData("content_block_delta"))
	{
		auto j = nlohmann::json::parse(d, nullptr, false);
		if (j.is_object() && j.contains("delta") && j["delta"].value("type", "") == "text_delta")
			out += j["delta"].value("text", "");
	}
	return out;
}

StreamedResponse streamRequest(int port, const std::string & method, const std::string & target, const std::string & body,
	const std::map<std::string, std::string> & headers, int timeoutMs, int closeAfterMs)
{
	StreamedResponse r;
	int fd = ::socket(AF_INET, SOCK_STREAM, 0);
	sockaddr_in addr{};
	addr.sin_family = AF_INET;
	addr.sin_port = htons(static_cast<uint16_t>(port));
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (::connect(fd, reinterpret_cast<sockaddr *>(&addr), sizeof addr) != 0)
	{
		r.error = "connect failed";
		::close(fd);
		return r;
	}
	int one = 1;
	::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port) + "\r\n";
	bool hasLength = false;
	for (const auto & [k, v] : headers)
	{
		req += k + ": " + v + "\r\n";
		hasLength = hasLength || lower(k) == "content-length";
	}
	if (!hasLength && (!body.empty() || method == "POST"))
		req += "Content-Length: " + std::to_string(body.size()) + "\r\n";
	req += "Connection: close\r\n\r\n" + body;
	r.sentAt = Clock::now();
	size_t sent = 0;
	while (sent < req.size())
	{
		ssize_t n = ::send(fd, req.data() + sent, req.size() - sent, MSG_NOSIGNAL);
		if (n <= 0)
		{
			r.error = "send failed";
			::close(fd);
			return r;
		}
		sent += static_cast<size_t>(n);
	}
	auto deadline = Clock::now() + std::chrono::milliseconds(timeoutMs);
	std::string buf;
	bool headDone = false;
	bool chunked = false;
	long long length = -1;
	long long chunkLeft = -1;
	enum { Size, Data, DataEnd, Done } state = Size;
	Clock::time_point firstBody{};
	char tmp[65536];
	while (true)
	{
		if (closeAfterMs >= 0 && firstBody != Clock::time_point{}
			&& Clock::now() - firstBody >= std::chrono::milliseconds(closeAfterMs))
		{
			r.error = "closed by test";
			break;
		}
		int wait = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
		if (wait <= 0)
		{
			r.error = "timeout";
			break;
		}
		if (closeAfterMs >= 0 && firstBody != Clock::time_point{})
			wait = std::min(wait, 5);
		pollfd p{fd, POLLIN, 0};
		if (::poll(&p, 1, wait) <= 0)
			continue;
		ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
		auto now = Clock::now();
		if (n <= 0)
		{
			if (headDone && !chunked && length < 0)
				r.complete = true;
			break;
		}
		buf.append(tmp, static_cast<size_t>(n));
		if (!headDone)
		{
			size_t e = buf.find("\r\n\r\n");
			if (e == std::string::npos)
				continue;
			std::string head = buf.substr(0, e);
			buf.erase(0, e + 4);
			headDone = true;
			r.status = std::atoi(head.substr(9, 3).c_str());
			size_t pos = head.find("\r\n");
			while (pos != std::string::npos && pos + 2 < head.size())
			{
				size_t le = head.find("\r\n", pos + 2);
				std::string line = head.substr(pos + 2, le == std::string::npos ? std::string::npos : le - pos - 2);
				size_t c = line.find(':');
				if (c != std::string::npos)
				{
					std::string v = line.substr(c + 1);
					while (!v.empty() && v.front() == ' ')
						v.erase(0, 1);
					r.headers[lower(line.substr(0, c))] = v;
				}
				pos = le;
			}
			chunked = lower(r.headers["transfer-encoding"]).find("chunked") != std::string::npos;
			if (!chunked && r.headers.count("content-length"))
				length = std::atoll(r.headers["content-length"].c_str());
		}
		std::string piece;
		if (!chunked)
		{
			piece = buf;
			buf.clear();
		}
		else
		{
			size_t pos = 0;
			while (pos < buf.size() && state != Done)
			{
				if (state == Size)
				{
					size_t e = buf.find("\r\n", pos);
					if (e == std::string::npos)
						break;
					chunkLeft = std::strtoll(buf.substr(pos, e - pos).c_str(), nullptr, 16);
					pos = e + 2;
					state = chunkLeft == 0 ? Done : Data;
				}
				else if (state == Data)
				{
					size_t take = std::min<size_t>(static_cast<size_t>(chunkLeft), buf.size() - pos);
					piece.append(buf, pos, take);
					pos += take;
					chunkLeft -= static_cast<long long>(take);
					if (chunkLeft == 0)
						state = DataEnd;
				}
				else if (state == DataEnd)
				{
					if (buf.size() - pos < 2)
						break;
					pos += 2;
					state = Size;
				}
			}
			buf.erase(0, pos);
		}
		if (!piece.empty())
		{
			if (firstBody == Clock::time_point{})
				firstBody = now;
			r.body += piece;
			r.pieces.push_back({now, piece});
		}
		if (chunked && state == Done)
		{
			r.complete = true;
			break;
		}
		if (!chunked && length >= 0 && static_cast<long long>(r.body.size()) >= length)
		{
			r.complete = true;
			break;
		}
	}
	::close(fd);
	return r;
}

} // namespace ccc::test
