#include "model/taggers_try.h"

namespace ccc::admin
{

namespace
{

using ojson = nlohmann::ordered_json;

std::string trim(const std::string & s)
{
	const size_t b = s.find_first_not_of(" \t\r");
	if (b == std::string::npos)
		return {};
	const size_t e = s.find_last_not_of(" \t\r");
	return s.substr(b, e - b + 1);
}

std::string str(const ojson & j, const char * key, const std::string & fallback = {})
{
	auto it = j.find(key);
	return it != j.end() && it->is_string() ? it->get<std::string>() : fallback;
}

std::vector<std::string> strings(const ojson & j)
{
	std::vector<std::string> out;
	if (j.is_array())
		for (const auto & v : j)
			if (v.is_string())
				out.push_back(v.get<std::string>());
	return out;
}

} // namespace

SampleRequestForm sampleFromJson(const ojson & j)
{
	SampleRequestForm s;
	if (!j.is_object())
		return s;
	s.method = str(j, "method", s.method);
	s.path = str(j, "path", s.path);
	if (auto it = j.find("headers"); it != j.end() && it->is_object())
		for (auto h = it->begin(); h != it->end(); ++h)
			s.headers += h.key() + ": " + (h.value().is_string() ? h.value().get<std::string>() : h.value().dump()) + "\n";
	if (auto it = j.find("body"); it != j.end())
		s.body = it->is_string() ? it->get<std::string>() : it->is_null() ? std::string() : it->dump(2);
	return s;
}

ojson sampleToJson(const SampleRequestForm & s)
{
	ojson headers = ojson::object();
	size_t pos = 0;
	while (pos < s.headers.size())
	{
		size_t nl = s.headers.find('\n', pos);
		if (nl == std::string::npos)
			nl = s.headers.size();
		const std::string line = s.headers.substr(pos, nl - pos);
		pos = nl + 1;
		const size_t colon = line.find(':');
		if (colon == std::string::npos)
			continue;
		const std::string name = trim(line.substr(0, colon));
		if (!name.empty())
			headers[name] = trim(line.substr(colon + 1));
	}
	return {{"method", trim(s.method)}, {"path", trim(s.path)}, {"headers", headers}, {"body", s.body}};
}

ojson tryRequestBody(const TaggerForm & form, const SampleRequestForm & sample)
{
	ojson body;
	body["tagger"] = taggerFormToJson(form);
	if (!form.original_name.empty())
		body["replace"] = form.original_name;
	body["request"] = sampleToJson(sample);
	return body;
}

TryResult tryResultFrom(const ApiResult & r)
{
	TryResult t;
	if (!r.ok)
	{
		t.error = r.error;
		if (r.body.is_object())
			t.path = str(r.body, "path");
		return t;
	}
	if (!r.body.is_object() || !r.body.contains("tags"))
	{
		t.error = "the service's answer has no \"tags\"";
		return t;
	}
	t.ok = true;
	t.pipeline_tags = strings(r.body["tags"]);
	if (auto it = r.body.find("tagger"); it != r.body.end() && it->is_object())
	{
		const ojson & g = *it;
		if (auto m = g.find("matched"); m != g.end() && m->is_boolean())
			t.matched = m->get<bool>();
		if (auto tags = g.find("tags"); tags != g.end())
			t.tags = strings(*tags);
		t.tagger_error = str(g, "error");
		if (auto d = g.find("duration_us"); d != g.end() && d->is_number())
			t.duration_us = d->get<long long>();
	}
	return t;
}

} // namespace ccc::admin
