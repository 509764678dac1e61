#include "upstream/Url.h"

#include <cctype>

namespace ccc::upstream
{

std::string Url::hostHeader() const
{
	std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
	if ((tls && port != 443) || (!tls && port != 80))
		h += ":" + std::to_string(port);
	return h;
}

std::string Url::origin() const
{
	return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(port);
}

bool parseUrl(const std::string & text, Url & out)
{
	size_t pos;
	if (text.compare(0, 8, "https://") == 0)
	{
		out.tls = true;
		pos = 8;
	}
	else if (text.compare(0, 7, "http://") == 0)
	{
		out.tls = false;
		pos = 7;
	}
	else
		return false;
	size_t slash = text.find('/', pos);
	std::string authority = text.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
	std::string path = slash == std::string::npos ? "" : text.substr(slash);
	while (!path.empty() && path.back() == '/')
		path.pop_back();
	out.basePath = path;
	if (authority.empty())
		return false;
	std::string portText;
	if (authority.front() == '[')
	{
		size_t close = authority.find(']');
		if (close == std::string::npos)
			return false;
		out.host = authority.substr(1, close - 1);
		if (close + 1 < authority.size())
		{
			if (authority[close + 1] != ':')
				return false;
			portText = authority.substr(close + 2);
		}
	}
	else
	{
		size_t colon = authority.rfind(':');
		if (colon != std::string::npos)
		{
			out.host = authority.substr(0, colon);
			portText = authority.substr(colon + 1);
		}
		else
			out.host = authority;
	}
	if (out.host.empty())
		return false;
	if (portText.empty())
		out.port = out.tls ? 443 : 80;
	else
	{
		for (char c : portText)
			if (!std::isdigit(static_cast<unsigned char>(c)))
				return false;
		if (portText.size() > 5)
			return false;
		out.port = std::stoi(portText);
		if (out.port < 1 || out.port > 65535)
			return false;
	}
	return true;
}

} // namespace ccc::upstream
