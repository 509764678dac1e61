#include "ccc/sse/parser.h"

namespace ccc::sse
{

void Parser::feed(std::string_view bytes, std::vector<Event> & out)
{
	if (_overflow)
		return; // the stream is broken: nothing after an overlong line is reported
	size_t i = 0;
	if (!_bomChecked)
	{
		// A UTF-8 BOM may start the stream; it can itself arrive split.
		static const std::string_view bom = "\xEF\xBB\xBF";
		std::string probe = _line + std::string(bytes.substr(0, 3));
		if (probe.size() < 3 && bom.substr(0, probe.size()) == probe)
		{
			_line = probe;
			_raw.append(bytes.data(), bytes.size());
			return;
		}
		_bomChecked = true;
		if (probe.compare(0, 3, bom) == 0)
		{
			size_t fromBytes = 3 - _line.size();
			_raw.append(bytes.data(), fromBytes);
			_line.clear();
			i = fromBytes;
		}
	}
	while (i < bytes.size())
	{
		if (_pendingCR)
		{
			_pendingCR = false;
			if (bytes[i] == '\n')
			{
				_raw.push_back('\n');
				++i;
				continue;
			}
		}
		// Copy the run up to the next line terminator in one go.
		size_t j = i;
		while (j < bytes.size() && bytes[j] != '\n' && bytes[j] != '\r')
			++j;
		_line.append(bytes.data() + i, j - i);
		_raw.append(bytes.data() + i, j - i);
		if (_line.size() > kMaxLine)
		{
			// Stop here: parsing the rest of the line as a new line would invent fields.
			_overflow = true;
			_line = std::string();
			_raw = std::string();
			_current = Event();
			_sawField = false;
			return;
		}
		if (j == bytes.size())
			break;
		_raw.push_back(bytes[j]);
		if (bytes[j] == '\r')
			_pendingCR = true;
		i = j + 1;
		std::string l;
		l.swap(_line);
		line(l, out);
	}
}

void Parser::line(std::string_view l, std::vector<Event> & out)
{
	if (l.empty())
	{
		if (_sawField)
		{
			_current.raw = std::move(_raw);
			out.push_back(std::move(_current));
			_current = Event();
			_raw.clear();
			_sawField = false;
		}
		return;
	}
	if (l.front() == ':')
		return; // comment
	size_t colon = l.find(':');
	std::string_view field = l.substr(0, colon);
	std::string_view value;
	if (colon != std::string_view::npos)
	{
		value = l.substr(colon + 1);
		if (!value.empty() && value.front() == ' ')
			value.remove_prefix(1);
	}
	if (field == "event")
	{
		_current.event.assign(value.data(), value.size());
		_sawField = true;
	}
	else if (field == "data")
	{
		if (_current.hasData)
			_current.data.push_back('\n');
		_current.data.append(value.data(), value.size());
		_current.hasData = true;
		_sawField = true;
	}
	else if (field == "id")
	{
		_current.id.assign(value.data(), value.size());
		_sawField = true;
	}
	else if (field == "retry")
		_sawField = true;
	// other fields are ignored, as the spec says
}

bool Parser::finish(std::vector<Event> & out)
{
	if (!_line.empty())
	{
		std::string l;
		l.swap(_line);
		line(l, out);
	}
	bool flushed = false;
	if (_sawField)
	{
		_current.raw = std::move(_raw);
		out.push_back(std::move(_current));
		flushed = true;
	}
	*this = Parser();
	return flushed;
}

std::string serialize(std::string_view event, std::string_view data)
{
	std::string out;
	out.reserve(event.size() + data.size() + 16);
	if (!event.empty())
	{
		out += "event: ";
		out.append(event.data(), event.size());
		out += '\n';
	}
	size_t start = 0;
	while (true)
	{
		size_t nl = data.find('\n', start);
		out += "data: ";
		out.append(data.data() + start, (nl == std::string_view::npos ? data.size() : nl) - start);
		out += '\n';
		if (nl == std::string_view::npos)
			break;
		start = nl + 1;
	}
	out += '\n';
	return out;
}

} // namespace ccc::sse
