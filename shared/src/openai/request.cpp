#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <cstring>
#include <optional>
#include <set>
#include <stdexcept>

#include "ccc/json/scan.h"
#include "ccc/util/md5.h"
#include "internal.h"

namespace ccc::openai
{

// Ordered throughout: tool schemas keep their property order (it steers the order in which models
// write arguments) and echoed tool inputs keep the client's bytes, which upstream prompt caches key on.
using Json = nlohmann::ordered_json;
using detail::OJson;

namespace
{

/// A conversion failure: the Anthropic field that could not be converted, and why.
struct Failure
{
	std::string field;
	std::string message;
};

bool containsNoCase(std::string_view haystack, std::string_view needle)
{
	auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
		[](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b)); });
	return it != haystack.end();
}

std::string indexed(const std::string & base, size_t i)
{
	return base + "[" + std::to_string(i) + "]";
}

// Standard base64 (with or without padding, whitespace ignored). False on any other character.
bool decodeBase64(std::string_view in, std::string & out)
{
	auto value = [](char c) -> int {
		if (c >= 'A' && c <= 'Z')
			return c - 'A';
		if (c >= 'a' && c <= 'z')
			return c - 'a' + 26;
		if (c >= '0' && c <= '9')
			return c - '0' + 52;
		if (c == '+' || c == '-')
			return 62;
		if (c == '/' || c == '_')
			return 63;
		return -1;
	};
	out.clear();
	uint32_t acc = 0;
	int bits = 0;
	bool padding = false;
	for (char c : in)
	{
		if (c == '\n' || c == '\r' || c == ' ' || c == '\t')
			continue;
		if (c == '=')
		{
			padding = true;
			continue;
		}
		int v = value(c);
		if (v < 0 || padding)
			return false;
		acc = (acc << 6) | uint32_t(v);
		bits += 6;
		if (bits >= 8)
		{
			bits -= 8;
			out.push_back(char((acc >> bits) & 0xFF));
		}
	}
	return true;
}

/// The JSON type name as nlohmann reports it (for the messages of type errors).
const char * kindName(char first)
{
	switch (first)
	{
	case '"': return "string";
	case '{': return "object";
	case '[': return "array";
	case 'n': return "null";
	case 't': case 'f': return "boolean";
	default: return "number";
	}
}

/// A type mismatch where a JSON library would have thrown (a block's `type` that is not a string):
/// reported as "cannot convert the request", as before.
struct TypeError : std::runtime_error
{
	TypeError(const char * want, char first)
		: std::runtime_error(std::string("[json.exception.type_error.302] type must be ") + want + ", but is " + kindName(first))
	{
	}
};

/// A value inside the request bytes, read where it lies. convertRequest validated the whole body
/// first (syntax, strict UTF-8, no lone surrogate escape), so a string's escaped bytes can be
/// copied into the output as they are: no decode, no re-encode.
struct Raw
{
	std::string_view doc;
	json::Span span;

	char first() const { return doc[span.begin]; }
	bool isString() const { return first() == '"'; }
	bool isObject() const { return first() == '{'; }
	bool isArray() const { return first() == '['; }
	bool isNull() const { return first() == 'n'; }
	bool isBool() const { return first() == 't' || first() == 'f'; }
	std::string_view text() const { return span.of(doc); }
	/// A string's content as escaped in the request (no quotes).
	std::string_view inner() const { return doc.substr(span.begin + 1, span.end - span.begin - 2); }
	bool emptyString() const { return span.end - span.begin == 2; }
	std::string str() const { return json::decodeString(doc, span).value_or(std::string()); }
};

/// An object's members (scanned once); lookups take the last occurrence of a key, as a parser does.
class RawObject
{
public:
	RawObject(std::string_view doc, json::Span span) : _doc(doc) { json::scanObjectAt(doc, span, _members); }
	explicit RawObject(const Raw & v) : RawObject(v.doc, v.span) {}

	std::optional<Raw> find(std::string_view key) const
	{
		for (auto it = _members.rbegin(); it != _members.rend(); ++it)
			if (it->key == key)
				return Raw{_doc, it->valueSpan};
		return std::nullopt;
	}
	bool hasString(std::string_view key) const
	{
		auto v = find(key);
		return v && v->isString();
	}
	/// The decoded string at `key`, `fallback` when absent; TypeError when not a string.
	std::string value(std::string_view key, const char * fallback = "") const
	{
		auto v = find(key);
		if (!v)
			return fallback;
		if (!v->isString())
			throw TypeError("string", v->first());
		return v->str();
	}
	bool boolean(std::string_view key, bool fallback) const
	{
		auto v = find(key);
		if (!v)
			return fallback;
		if (!v->isBool())
			throw TypeError("boolean", v->first());
		return v->first() == 't';
	}

private:
	std::string_view _doc;
	std::vector<json::Member> _members;
};

std::vector<Raw> elementsOf(const Raw & array)
{
	std::vector<json::Span> spans;
	json::scanArrayAt(array.doc, array.span, spans);
	std::vector<Raw> out;
	out.reserve(spans.size());
	for (const auto & s : spans)
		out.push_back(Raw{array.doc, s});
	return out;
}

/// Escaped JSON string content (no quotes) of arbitrary bytes; invalid UTF-8 is replaced.
std::string escapeText(const std::string & bytes)
{
	std::string q = detail::dump(OJson(bytes));
	return q.substr(1, q.size() - 2);
}

/// True when `v` is byte for byte what a compact nlohmann dump of it would be: no whitespace, only
/// the escapes the serializer writes, integers only. Such tool inputs are echoed verbatim.
bool canonicalJson(std::string_view v)
{
	bool inString = false;
	size_t digits = 0;
	for (size_t i = 0; i < v.size(); ++i)
	{
		char c = v[i];
		if (inString)
		{
			if (c == '"')
				inString = false;
			else if (c == '\\')
			{
				char n = v[i + 1];
				if (n == 'u')
				{
					// Only control characters without a short form, in lowercase hex.
					std::string_view h = v.substr(i + 2, 4);
					if (h[0] != '0' || h[1] != '0' || (h[2] != '0' && h[2] != '1') ||
						!((h[3] >= '0' && h[3] <= '9') || (h[3] >= 'a' && h[3] <= 'f')))
						return false;
					if (h == "0008" || h == "0009" || h == "000a" || h == "000c" || h == "000d")
						return false;
					i += 5;
				}
				else if (n == '/')
					return false;
				else
					++i;
			}
			continue;
		}
		if (c >= '0' && c <= '9')
		{
			if (++digits > 18)
				return false;
			continue;
		}
		digits = 0;
		switch (c)
		{
		case '"': inString = true; break;
		case ' ': case '\n': case '\r': case '\t': case '.': case 'e': case 'E': return false;
		case '-':
			if (i + 1 < v.size() && v[i + 1] == '0')
				return false;
			break;
		default: break;
		}
	}
	return true;
}

/// Joins escaped strings with an escaped newline.
void joinLine(std::string & acc, std::string_view escaped)
{
	if (!acc.empty())
		acc += "\\n";
	acc += escaped;
}

class RequestConverter
{
public:
	RequestConverter(std::string_view doc, const RequestOptions & options) : _doc(doc), _options(options)
	{
		const auto & strip = options.stripSchemaKeywords ? *options.stripSchemaKeywords : defaultStripKeywords();
		_strip.insert(strip.begin(), strip.end());
		_stripConst = _strip.count("const") != 0;
		_stripEnum = _strip.count("enum") != 0;
	}

	/// `top` are the request's top-level members. The large ones (messages, system, tools) are
	/// converted from the bytes; the few small parameters go through a DOM, where the code is simpler.
	bool run(const std::vector<json::Member> & top, std::string & result)
	{
		for (const auto & m : top)
		{
			Raw v{_doc, m.valueSpan};
			if (m.key == "messages")
				_messages = v;
			else if (m.key == "system")
				_system = v;
			else if (m.key == "tools")
				_tools = v;
			else if (m.key == "model" || m.key == "max_tokens" || m.key == "temperature" || m.key == "top_p" ||
				m.key == "stop_sequences" || m.key == "stream" || m.key == "thinking" || m.key == "output_config" ||
				m.key == "metadata" || m.key == "tool_choice")
			{
				std::string_view t = v.text();
				_body[m.key] = Json::parse(t.begin(), t.end(), nullptr, false);
			}
		}

		std::string model = _options.model;
		if (model.empty())
		{
			auto it = _body.find("model");
			if (it != _body.end() && it->is_string())
				model = it->get<std::string>();
		}
		if (model.empty())
			return fail("model", "no model: the request has none and the endpoint sets none");
		OJson out;
		out["model"] = model;
		_gpt5 = containsNoCase(model, "gpt-5");

		std::string messages;
		messages.reserve(_messages ? _messages->text().size() + (_system ? _system->text().size() : 0) + 256 : 256);
		if (!convertSystem(messages) || !convertMessages(messages))
			return false;
		if (!convertTools(out))
			return false;
		if (!convertScalars(out))
			return false;

		result.reserve(_doc.size() + 256);
		result += '{';
		bool first = true;
		for (auto it = out.begin(); it != out.end(); ++it)
		{
			if (!first)
				result += ',';
			first = false;
			result += json::quote(it.key());
			result += ':';
			result += detail::dump(it.value());
			if (it.key() == "model")
			{
				// Same member order as always: model, messages, tools, then the parameters.
				result += ",\"messages\":[";
				if (_options.reorderSystemFirst && _anyMergedSystem)
				{
					result += "{\"role\":\"system\",\"content\":\"";
					result += _mergedSystem;
					result += "\"}";
					if (!messages.empty())
						result += ',';
				}
				result += messages;
				result += ']';
				if (!_toolsText.empty())
				{
					result += ",\"tools\":";
					result += _toolsText;
				}
			}
		}
		result += '}';
		return true;
	}

	Failure failure;
	bool stream = false;

private:
	bool fail(std::string field, std::string message)
	{
		failure.field = std::move(field);
		failure.message = std::move(message);
		return false;
	}

	/// Starts the next message object in the comma-separated list `out`.
	static void nextMessage(std::string & out)
	{
		if (!out.empty())
			out += ',';
	}

	/// A message whose content is an escaped text.
	static void textMessage(std::string & out, const char * role, std::string_view escaped)
	{
		nextMessage(out);
		out += "{\"role\":\"";
		out += role;
		out += "\",\"content\":\"";
		out += escaped;
		out += "\"}";
	}

	void systemMessage(std::string & out, std::string_view escaped)
	{
		if (!_options.reorderSystemFirst)
		{
			textMessage(out, "system", escaped);
			return;
		}
		// Every system message merged into the first one (providers that want it first and alone).
		if (_anyMergedSystem)
			_mergedSystem += "\\n";
		_mergedSystem += escaped;
		_anyMergedSystem = true;
	}

	// ---- system ------------------------------------------------------------------------------

	/// Escaped text of a system prompt given as a string or as text blocks (joined with a newline).
	bool systemText(const Raw & value, const std::string & field, std::string & text)
	{
		text.clear();
		if (value.isString())
		{
			text = value.inner();
			return true;
		}
		if (!value.isArray())
			return fail(field, "must be a string or an array of text blocks");
		auto blocks = elementsOf(value);
		for (size_t i = 0; i < blocks.size(); ++i)
		{
			std::string f = indexed(field, i);
			if (!blocks[i].isObject())
				return fail(f, "must be a content block object");
			RawObject block(blocks[i]);
			std::string type = block.value("type");
			if (type != "text")
				return fail(f + ".type", "system content of type '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
			auto t = block.find("text");
			if (!t || !t->isString())
				return fail(f + ".text", "must be a string");
			if (i)
				text += "\\n";
			text += t->inner();
		}
		return true;
	}

	bool convertSystem(std::string & messages)
	{
		if (!_system || _system->isNull())
			return true;
		std::string text;
		if (!systemText(*_system, "system", text))
			return false;
		if (!text.empty())
			systemMessage(messages, text);
		return true;
	}

	// ---- messages ----------------------------------------------------------------------------

	bool convertMessages(std::string & messages)
	{
		if (!_messages || !_messages->isArray())
			return fail("messages", "must be an array");
		auto list = elementsOf(*_messages);
		for (size_t i = 0; i < list.size(); ++i)
		{
			std::string field = indexed("messages", i);
			if (!list[i].isObject())
				return fail(field, "must be an object");
			RawObject msg(list[i]);
			std::string role = msg.value("role");
			auto content = msg.find("content");
			if (!content || !(content->isString() || content->isArray()))
				return fail(field + ".content", "must be a string or an array of content blocks");
			bool ok = false;
			if (role == "user")
				ok = convertUser(*content, field + ".content", messages);
			else if (role == "assistant")
				ok = convertAssistant(*content, field + ".content", messages);
			else if (role == "system")
			{
				// Claude Code's mid-conversation system messages stay where they are.
				std::string text;
				ok = systemText(*content, field + ".content", text);
				if (ok && !text.empty())
					systemMessage(messages, text);
			}
			else
				return fail(field + ".role", "unsupported role '" + role + "'");
			if (!ok)
				return false;
		}
		return true;
	}

	/// An OpenAI image part (JSON text) from an Anthropic image block.
	bool imagePart(const RawObject & block, const std::string & field, std::string & part)
	{
		auto src = block.find("source");
		if (!src || !src->isObject())
			return fail(field + ".source", "image needs a source object");
		RawObject s(*src);
		std::string type = s.value("type");
		std::string url;
		if (type == "base64")
		{
			auto data = s.find("data");
			auto media = s.find("media_type");
			if (!data || !data->isString() || !media || !media->isString())
				return fail(field + ".source", "base64 image needs media_type and data strings");
			url.reserve(data->span.end - data->span.begin + 64);
			url += "\"data:";
			url += media->inner();
			url += ";base64,";
			url += data->inner();
			url += '"';
		}
		else if (type == "url")
		{
			auto u = s.find("url");
			if (!u || !u->isString())
				return fail(field + ".source.url", "must be a string");
			url = u->text();
		}
		else
			return fail(field + ".source.type", "image source '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
		part = "{\"type\":\"image_url\",\"image_url\":{\"url\":" + url + "}}";
		return true;
	}

	/// The escaped text of a document block (plain text sources and content blocks; PDFs cannot be sent).
	bool documentText(const RawObject & block, const std::string & field, std::string & text)
	{
		auto src = block.find("source");
		if (!src || !src->isObject())
			return fail(field + ".source", "document needs a source object");
		RawObject s(*src);
		std::string type = s.value("type");
		std::string body;
		if (type == "text")
		{
			auto d = s.find("data");
			if (!d || !d->isString())
				return fail(field + ".source.data", "must be a string");
			body = d->inner();
		}
		else if (type == "content")
		{
			auto c = s.find("content");
			if (c && c->isString())
				body = c->inner();
			else if (c && c->isArray())
			{
				auto blocks = elementsOf(*c);
				for (size_t i = 0; i < blocks.size(); ++i)
				{
					const Raw & b = blocks[i];
					if (!b.isObject())
						return fail(indexed(field + ".source.content", i), "only text blocks can be sent to an OpenAI-compatible endpoint");
					RawObject bo(b);
					if (bo.value("type") != "text" || !bo.hasString("text"))
						return fail(indexed(field + ".source.content", i), "only text blocks can be sent to an OpenAI-compatible endpoint");
					joinLine(body, bo.find("text")->inner());
				}
			}
			else
				return fail(field + ".source.content", "must be a string or an array of text blocks");
		}
		else if (type == "base64" && s.value("media_type") == "text/plain" && s.hasString("data"))
		{
			std::string decoded;
			if (!decodeBase64(s.value("data"), decoded))
				return fail(field + ".source.data", "is not valid base64");
			body = escapeText(decoded);
		}
		else
			return fail(field + ".source.type", "document source '" + type + "' (" + s.value("media_type") +
				") cannot be sent to an OpenAI-compatible endpoint");
		text.clear();
		auto title = block.find("title");
		if (title && title->isString() && !title->emptyString())
		{
			text = "Document: ";
			text += title->inner();
			text += "\\n";
		}
		auto context = block.find("context");
		if (context && context->isString() && !context->emptyString())
		{
			text += context->inner();
			text += "\\n";
		}
		text += body;
		return true;
	}

	/// Escaped text for blocks that only Anthropic understands but whose content the model still
	/// needs: a search_result (title, source, text content) and a tool_reference (Claude Code's tool
	/// search names the tools it made available; every tool is sent to OpenAI endpoints anyway).
	bool textOfSpecialBlock(const RawObject & block, const std::string & field, std::string & text)
	{
		std::string type = block.value("type");
		if (type == "tool_reference")
		{
			auto name = block.find("tool_name");
			if (!name || !name->isString())
				return fail(field + ".tool_name", "must be a string");
			text = "[tool available: ";
			text += name->inner();
			text += "]";
			return true;
		}
		text.clear();
		auto title = block.find("title");
		if (title && title->isString())
		{
			text += title->inner();
			text += "\\n";
		}
		auto source = block.find("source");
		if (source && source->isString())
		{
			text += "Source: ";
			text += source->inner();
			text += "\\n";
		}
		auto content = block.find("content");
		if (!content || !content->isArray())
			return fail(field + ".content", "must be an array of text blocks");
		auto blocks = elementsOf(*content);
		for (size_t i = 0; i < blocks.size(); ++i)
		{
			const Raw & b = blocks[i];
			if (!b.isObject())
				return fail(indexed(field + ".content", i), "only text blocks can be sent to an OpenAI-compatible endpoint");
			RawObject bo(b);
			if (bo.value("type") != "text" || !bo.hasString("text"))
				return fail(indexed(field + ".content", i), "only text blocks can be sent to an OpenAI-compatible endpoint");
			if (i)
				text += "\\n";
			text += bo.find("text")->inner();
		}
		return true;
	}

	/// One part of a user message: escaped text, or an image part's JSON.
	struct Part
	{
		bool image = false;
		std::string data;
	};

	/// Builds a user message from ordered parts: a plain string when only text, an array of parts
	/// (order kept) when images are present.
	static void pushUser(std::string & messages, const std::vector<Part> & parts)
	{
		if (parts.empty())
			return;
		bool onlyText = std::none_of(parts.begin(), parts.end(), [](const Part & p) { return p.image; });
		nextMessage(messages);
		if (onlyText)
		{
			messages += "{\"role\":\"user\",\"content\":\"";
			for (size_t i = 0; i < parts.size(); ++i)
			{
				if (i)
					messages += "\\n";
				messages += parts[i].data;
			}
			messages += "\"}";
			return;
		}
		messages += "{\"role\":\"user\",\"content\":[";
		for (size_t i = 0; i < parts.size(); ++i)
		{
			if (i)
				messages += ',';
			if (parts[i].image)
				messages += parts[i].data;
			else
			{
				messages += "{\"type\":\"text\",\"text\":\"";
				messages += parts[i].data;
				messages += "\"}";
			}
		}
		messages += "]}";
	}

	bool convertUser(const Raw & content, const std::string & field, std::string & messages)
	{
		if (content.isString())
		{
			textMessage(messages, "user", content.inner());
			return true;
		}
		// Tool results first: each `tool` message must directly follow the assistant message that
		// made the call, so they go before this message's own text (OpenAI rejects anything between).
		std::vector<Part> parts;
		auto blocks = elementsOf(content);
		for (size_t i = 0; i < blocks.size(); ++i)
		{
			std::string f = indexed(field, i);
			if (!blocks[i].isObject())
				return fail(f, "must be a content block object");
			RawObject block(blocks[i]);
			std::string type = block.value("type");
			if (type == "text")
			{
				auto t = block.find("text");
				if (!t || !t->isString())
					return fail(f + ".text", "must be a string");
				if (!t->emptyString())
					parts.push_back(Part{false, std::string(t->inner())});
			}
			else if (type == "image")
			{
				Part part{true, {}};
				if (!imagePart(block, f, part.data))
					return false;
				parts.push_back(std::move(part));
			}
			else if (type == "document")
			{
				Part part;
				if (!documentText(block, f, part.data))
					return false;
				parts.push_back(std::move(part));
			}
			else if (type == "tool_result")
			{
				if (!toolResult(block, f, messages, parts))
					return false;
			}
			else if (type == "search_result")
			{
				Part part;
				if (!textOfSpecialBlock(block, f, part.data))
					return false;
				parts.push_back(std::move(part));
			}
			else if (type == "thinking" || type == "redacted_thinking")
				continue; // only meaningful in assistant turns
			else
				return fail(f + ".type", "content of type '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
		}
		pushUser(messages, parts);
		return true;
	}

	/// A tool_result becomes a `tool` message. Images in it cannot go into a tool message, so they
	/// are appended to the user message that follows (the tool text says so).
	bool toolResult(const RawObject & block, const std::string & field, std::string & messages, std::vector<Part> & userParts)
	{
		auto id = block.find("tool_use_id");
		if (!id || !id->isString() || id->emptyString())
			return fail(field + ".tool_use_id", "tool_result needs a tool_use_id");
		std::string text;
		size_t images = 0;
		auto c = block.find("content");
		if (c && c->isString())
			text = c->inner();
		else if (c && c->isArray())
		{
			auto blocks = elementsOf(*c);
			for (size_t i = 0; i < blocks.size(); ++i)
			{
				std::string f = indexed(field + ".content", i);
				if (!blocks[i].isObject())
					return fail(f, "must be a content block object");
				RawObject b(blocks[i]);
				std::string type = b.value("type");
				if (type == "text")
				{
					auto t = b.find("text");
					if (!t || !t->isString())
						return fail(f + ".text", "must be a string");
					joinLine(text, t->inner());
				}
				else if (type == "image")
				{
					Part part{true, {}};
					if (!imagePart(b, f, part.data))
						return false;
					userParts.push_back(std::move(part));
					++images;
				}
				else if (type == "document")
				{
					std::string doc;
					if (!documentText(b, f, doc))
						return false;
					joinLine(text, doc);
				}
				else if (type == "tool_reference" || type == "search_result")
				{
					std::string t;
					if (!textOfSpecialBlock(b, f, t))
						return false;
					joinLine(text, t);
				}
				else
					return fail(f + ".type", "tool_result content of type '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
			}
		}
		else if (c && !c->isNull())
			return fail(field + ".content", "must be a string or an array of content blocks");
		if (images)
			joinLine(text, images == 1 ? "[the image is attached in the next user message]"
			                           : "[" + std::to_string(images) + " images are attached in the next user message]");
		nextMessage(messages);
		messages += "{\"role\":\"tool\",\"tool_call_id\":";
		messages += id->text();
		messages += ",\"content\":\"";
		if (block.boolean("is_error", false))
			messages += "[tool error] ";
		messages += text;
		messages += "\"}";
		return true;
	}

	bool convertAssistant(const Raw & content, const std::string & field, std::string & messages)
	{
		if (content.isString())
		{
			textMessage(messages, "assistant", content.inner());
			return true;
		}
		std::string text, reasoning, calls;
		bool anyText = false;
		auto blocks = elementsOf(content);
		for (size_t i = 0; i < blocks.size(); ++i)
		{
			std::string f = indexed(field, i);
			if (!blocks[i].isObject())
				return fail(f, "must be a content block object");
			RawObject block(blocks[i]);
			std::string type = block.value("type");
			if (type == "text")
			{
				auto t = block.find("text");
				if (!t || !t->isString())
					return fail(f + ".text", "must be a string");
				if (t->emptyString())
					continue;
				if (anyText)
					text += "\\n";
				text += t->inner();
				anyText = true;
			}
			else if (type == "tool_use")
			{
				auto id = block.find("id");
				auto name = block.find("name");
				if (!id || !id->isString() || id->emptyString())
					return fail(f + ".id", "tool_use needs an id");
				if (!name || !name->isString() || name->emptyString())
					return fail(f + ".name", "tool_use needs a name");
				auto input = block.find("input");
				std::string args;
				if (!input || input->isNull())
					args = "{}";
				else if (canonicalJson(input->text()))
					args = input->text(); // the client's own bytes, which upstream prompt caches key on
				else
				{
					std::string_view t = input->text();
					args = detail::dump(OJson::parse(t.begin(), t.end(), nullptr, false));
				}
				if (!calls.empty())
					calls += ',';
				calls += "{\"id\":";
				calls += id->text();
				calls += ",\"type\":\"function\",\"function\":{\"name\":";
				calls += name->text();
				calls += ",\"arguments\":";
				calls += json::quote(args);
				calls += "}}";
			}
			else if (type == "thinking")
			{
				auto th = block.find("thinking");
				if (_options.keepThinkingHistory && th && th->isString())
					reasoning += th->inner();
			}
			else if (type == "redacted_thinking")
				continue; // encrypted for Anthropic only
			else
				return fail(f + ".type", "assistant content of type '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
		}
		if (!anyText && calls.empty() && reasoning.empty())
			return true; // nothing left to say (e.g. a turn that held only thinking)
		nextMessage(messages);
		messages += "{\"role\":\"assistant\",\"content\":";
		// With tool calls and no text, content is null: what the OpenAI SDKs themselves send back.
		if (anyText || calls.empty())
		{
			messages += '"';
			messages += text;
			messages += '"';
		}
		else
			messages += "null";
		if (!reasoning.empty())
		{
			messages += ",\"reasoning_content\":\"";
			messages += reasoning;
			messages += '"';
		}
		if (!calls.empty())
		{
			messages += ",\"tool_calls\":[";
			messages += calls;
			messages += ']';
		}
		messages += '}';
		return true;
	}

	// ---- tools -------------------------------------------------------------------------------

	enum class Sub
	{
		None,
		Map,    ///< name -> schema
		Single, ///< one schema
		List    ///< array of schemas
	};

	static Sub subschemaKind(const std::string & key)
	{
		if (key == "properties" || key == "patternProperties" || key == "$defs" || key == "definitions" ||
			key == "dependentSchemas")
			return Sub::Map;
		if (key == "anyOf" || key == "oneOf" || key == "allOf" || key == "prefixItems" || key == "items")
			return Sub::List;
		if (key == "additionalProperties" || key == "not" || key == "contains" || key == "propertyNames" || key == "if" ||
			key == "then" || key == "else" || key == "unevaluatedItems" || key == "unevaluatedProperties" ||
			key == "additionalItems" || key == "contentSchema")
			return Sub::Single;
		return Sub::None;
	}

	/// Writes a JSON Schema without the configured keywords, recursing only into places that hold
	/// subschemas (so a property that happens to be called "const" or "format" survives); every
	/// other byte is copied. `const: v` becomes `enum: [v]` (appended last) when const is stripped:
	/// same meaning, older keyword.
	void cleanSchema(json::Span span, std::string & out) const
	{
		std::string_view doc = _doc;
		std::vector<json::Member> members;
		if (doc[span.begin] != '{' || !json::scanObjectAt(doc, span, members))
		{
			out += span.of(doc);
			return;
		}
		std::optional<json::Span> constValue;
		bool hasEnum = false;
		for (const auto & m : members)
			if (m.key == "const")
				constValue = m.valueSpan;
			else if (m.key == "enum")
				hasEnum = true;
		out += '{';
		bool first = true;
		std::vector<json::Member> subs;
		std::vector<json::Span> items;
		for (const auto & m : members)
		{
			if (_strip.count(m.key))
				continue;
			if (!first)
				out += ',';
			first = false;
			out += m.keySpan.of(doc);
			out += ':';
			const json::Span & v = m.valueSpan;
			switch (subschemaKind(m.key))
			{
			case Sub::Map:
				if (doc[v.begin] == '{' && json::scanObjectAt(doc, v, subs))
				{
					out += '{';
					for (size_t k = 0; k < subs.size(); ++k)
					{
						if (k)
							out += ',';
						out += subs[k].keySpan.of(doc);
						out += ':';
						cleanSchema(subs[k].valueSpan, out);
					}
					out += '}';
				}
				else
					out += v.of(doc);
				break;
			case Sub::Single:
				cleanSchema(v, out);
				break;
			case Sub::List:
				if (doc[v.begin] == '[' && json::scanArrayAt(doc, v, items))
				{
					out += '[';
					for (size_t k = 0; k < items.size(); ++k)
					{
						if (k)
							out += ',';
						cleanSchema(items[k], out);
					}
					out += ']';
				}
				else
					cleanSchema(v, out); // `items` may be one schema or (draft 4-2019) a list
				break;
			case Sub::None:
				out += v.of(doc);
				break;
			}
		}
		if (_stripConst && !_stripEnum && constValue && !hasEnum)
		{
			if (!first)
				out += ',';
			out += "\"enum\":[";
			out += constValue->of(doc);
			out += ']';
		}
		out += '}';
	}

	bool convertTools(OJson & out)
	{
		if (_tools && !_tools->isNull() && !convertToolsRaw())
			return false;
		bool haveTools = !_toolsText.empty();
		auto tc = _body.find("tool_choice");
		if (tc == _body.end() || tc->is_null())
			return true;
		if (!tc->is_object())
			return fail("tool_choice", "must be an object");
		// tool_choice without tools is rejected by several providers: only send it with tools.
		if (!haveTools)
			return true;
		std::string type = tc->value("type", "");
		if (type == "auto")
			out["tool_choice"] = "auto";
		else if (type == "any")
			out["tool_choice"] = "required";
		else if (type == "none")
			out["tool_choice"] = "none";
		else if (type == "tool")
		{
			auto n = tc->find("name");
			if (n == tc->end() || !n->is_string() || n->get<std::string>().empty())
				return fail("tool_choice.name", "tool_choice of type tool needs a name");
			out["tool_choice"] = OJson{{"type", "function"}, {"function", OJson{{"name", n->get<std::string>()}}}};
		}
		else
			return fail("tool_choice.type", "unsupported tool_choice type '" + type + "'");
		auto dp = tc->find("disable_parallel_tool_use");
		if (dp != tc->end() && dp->is_boolean() && dp->get<bool>() && type != "none")
			out["parallel_tool_calls"] = false;
		return true;
	}

	/// The tools array straight from the request bytes: names and descriptions are copied as the
	/// client encoded them, schemas cleaned byte by byte (see cleanSchema).
	bool convertToolsRaw()
	{
		std::string_view doc = _doc;
		if (!_tools->isArray())
			return fail("tools", "must be an array");
		std::vector<json::Span> elements;
		json::scanArrayAt(doc, _tools->span, elements);
		std::string & text = _toolsText;
		text.reserve(_tools->text().size() + 64 * elements.size());
		std::vector<json::Member> members;
		for (size_t i = 0; i < elements.size(); ++i)
		{
			std::string f = indexed("tools", i);
			members.clear();
			if (doc[elements[i].begin] != '{' || !json::scanObjectAt(doc, elements[i], members))
				return fail(f, "must be an object");
			std::optional<std::string> type, name;
			std::optional<json::Span> nameSpan, description, schemaSpan;
			for (const auto & m : members)
			{
				if (m.key == "type")
				{
					type = json::decodeString(doc, m.valueSpan);
					if (!type)
						return fail(f + ".type", "must be a string");
				}
				else if (m.key == "name")
				{
					name = json::decodeString(doc, m.valueSpan);
					nameSpan = m.valueSpan;
				}
				else if (m.key == "description")
					description = doc[m.valueSpan.begin] == '"' ? std::optional<json::Span>(m.valueSpan) : std::nullopt;
				else if (m.key == "input_schema")
					schemaSpan = m.valueSpan;
			}
			if (type && *type != "custom")
				return fail(f + ".type", "server tool '" + *type + "' cannot be served by an OpenAI-compatible endpoint");
			if (!name || name->empty())
				return fail(f + ".name", "tool needs a name");
			text += text.empty() ? "[" : ",";
			text += "{\"type\":\"function\",\"function\":{\"name\":";
			text += nameSpan->of(doc);
			if (description)
			{
				text += ",\"description\":";
				text += description->of(doc);
			}
			text += ",\"parameters\":";
			if (schemaSpan && schemaSpan->of(doc) != "null")
			{
				if (doc[schemaSpan->begin] != '{')
					return fail(f + ".input_schema", "must be an object");
				cleanSchema(*schemaSpan, text);
			}
			else
				text += "{\"type\":\"object\",\"properties\":{}}";
			text += "}}";
		}
		if (!text.empty())
			text += "]";
		return true;
	}

	// ---- scalar parameters -------------------------------------------------------------------

	bool convertScalars(OJson & out)
	{
		auto mt = _body.find("max_tokens");
		if (mt != _body.end() && !mt->is_null())
		{
			if (!mt->is_number_integer() || mt->get<int64_t>() < 1)
				return fail("max_tokens", "must be a positive integer");
			int64_t v = mt->get<int64_t>();
			if (_options.maxTokensLimit && *_options.maxTokensLimit > 0)
				v = std::min(v, *_options.maxTokensLimit);
			std::string field = _options.maxTokensField.empty() ? "max_tokens" : _options.maxTokensField;
			if (_gpt5 && field == "max_tokens")
				field = "max_completion_tokens";
			out[field] = v;
		}
		for (const char * k : {"temperature", "top_p"})
		{
			auto it = _body.find(k);
			if (it == _body.end() || it->is_null())
				continue;
			if (!it->is_number())
				return fail(k, "must be a number");
			out[k] = it->get<double>();
		}
		// GPT-5 models accept only the default temperature.
		if (_gpt5)
			out["temperature"] = 1;

		auto ss = _body.find("stop_sequences");
		if (ss != _body.end() && !ss->is_null())
		{
			if (!ss->is_array())
				return fail("stop_sequences", "must be an array of strings");
			OJson stop = OJson::array();
			for (size_t i = 0; i < ss->size(); ++i)
			{
				if (!(*ss)[i].is_string())
					return fail(indexed("stop_sequences", i), "must be a string");
				stop.push_back((*ss)[i].get<std::string>());
			}
			if (!stop.empty())
				out["stop"] = std::move(stop);
		}

		auto st = _body.find("stream");
		if (st != _body.end() && st->is_boolean() && st->get<bool>())
		{
			stream = true;
			out["stream"] = true;
			// Without this most providers send no usage at all in a stream.
			out["stream_options"] = OJson{{"include_usage", true}};
		}

		std::string effort;
		if (!reasoningEffort(effort))
			return false;
		if (!effort.empty())
			out["reasoning_effort"] = effort;

		auto md = _body.find("metadata");
		if (md != _body.end() && md->is_object())
		{
			auto u = md->find("user_id");
			if (u != md->end() && u->is_string() && !u->get<std::string>().empty())
			{
				std::string user = u->get<std::string>();
				// OpenAI limits `user` to 64 characters; Claude Code sends a JSON string far longer.
				if (user.size() > 64)
					user = "hashed-" + util::md5Hex(user);
				out["user"] = user;
			}
		}
		return true;
	}

	/// reasoning_effort from output_config.effort (wins: it is the client's explicit choice), else
	/// from thinking: enabled maps its budget (<= 5000 low, <= 15000 medium, else high, as the
	/// original did), adaptive means medium. Disabled or absent thinking sends nothing.
	bool reasoningEffort(std::string & effort)
	{
		auto th = _body.find("thinking");
		std::string thinkingType;
		if (th != _body.end() && th->is_object())
		{
			thinkingType = th->value("type", "");
			if (thinkingType == "enabled")
			{
				int64_t budget = 0;
				auto b = th->find("budget_tokens");
				if (b != th->end() && b->is_number_integer())
					budget = b->get<int64_t>();
				effort = budget <= 0 ? "medium" : budget <= 5000 ? "low" : budget <= 15000 ? "medium" : "high";
			}
			else if (thinkingType == "adaptive")
				effort = "medium";
		}
		auto oc = _body.find("output_config");
		if (oc != _body.end() && oc->is_object() && thinkingType != "disabled")
		{
			auto e = oc->find("effort");
			if (e != oc->end() && e->is_string())
			{
				std::string v = e->get<std::string>();
				if (v == "low" || v == "medium" || v == "high")
					effort = v;
				else if (v == "max" || v == "xhigh")
					effort = "high";
				else if (v == "minimal" || v == "none")
					effort = "low";
				else
					return fail("output_config.effort", "unsupported effort '" + v + "'");
			}
		}
		return true;
	}

private:
	std::string_view _doc;
	const RequestOptions & _options;
	Json _body = Json::object(); ///< the small top-level parameters only
	std::optional<Raw> _messages, _system, _tools;
	std::string _toolsText;      ///< the converted tools array, empty when there are none
	std::string _mergedSystem;   ///< reorderSystemFirst: every system text, escaped, joined
	bool _anyMergedSystem = false;
	std::set<std::string> _strip;
	bool _stripConst = false, _stripEnum = false;
	bool _gpt5 = false;
};


// CJK ideographs, kana, hangul and full-width forms: about 1.5 characters per token, against about
// 4 for Latin text and code.
bool denseCodePoint(uint32_t cp)
{
	return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xAC00 && cp <= 0xD7AF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
		(cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

struct CharCount
{
	uint64_t plain = 0;
	uint64_t dense = 0;

	void add(std::string_view s)
	{
		for (size_t i = 0; i < s.size();)
		{
			unsigned char c = static_cast<unsigned char>(s[i]);
			uint32_t cp = c;
			size_t len = 1;
			if (c >= 0xF0 && i + 3 < s.size() + 0)
			{
				len = 4;
				cp = ((c & 0x07u) << 18) | ((s[i + 1] & 0x3Fu) << 12) | ((s[i + 2] & 0x3Fu) << 6) | (s[i + 3] & 0x3Fu);
			}
			else if (c >= 0xE0 && i + 2 < s.size())
			{
				len = 3;
				cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
			}
			else if (c >= 0xC0 && i + 1 < s.size())
			{
				len = 2;
				cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu);
			}
			if (denseCodePoint(cp))
				++dense;
			else
				++plain;
			i += len;
		}
	}

	/// Every string value (and object key) inside a JSON value.
	void addJson(const Json & j)
	{
		if (j.is_string())
			add(j.get_ref<const std::string &>());
		else if (j.is_object())
			for (auto & kv : j.items())
			{
				add(kv.key());
				addJson(kv.value());
			}
		else if (j.is_array())
			for (auto & v : j)
				addJson(v);
		else if (!j.is_null())
			add(detail::dump(j));
	}
};

int64_t estimateParsed(const Json & body, std::string_view rawDoc, const std::optional<json::Span> & rawTools);
bool validUtf8(std::string_view s);
bool validEscapes(std::string_view s);

/// Claude Code's tools are ~85% of its request bytes, mostly descriptions that pass through
/// unchanged, so they are kept out of the DOM: returns the body without its `tools` member (to be
/// parsed) and sets `toolsSpan` to the tools array in `body`; or returns `body` itself (everything
/// goes through the DOM) when the tools cannot be taken verbatim.
std::string_view splitTools(std::string_view body, std::string & withoutTools, std::optional<json::Span> & toolsSpan)
{
	toolsSpan.reset();
	std::vector<json::Member> top;
	if (!json::scanObject(body, top))
		return body;
	size_t count = 0;
	for (const auto & m : top)
		if (m.key == "tools")
		{
			toolsSpan = m.valueSpan;
			++count;
		}
	// Bytes copied verbatim must be what a JSON parser accepts: strict UTF-8 (the scanner does not
	// check it; with invalid UTF-8 the DOM path rejects the request as nlohmann does) and no lone
	// surrogate escape.
	if (count == 1 && body[toolsSpan->begin] == '[' && validUtf8(toolsSpan->of(body)) && validEscapes(toolsSpan->of(body)))
	{
		json::TopLevelEditor editor;
		editor.remove("tools");
		if (editor.apply(body, withoutTools))
			return withoutTools;
	}
	toolsSpan.reset();
	return body;
}

/// No lone UTF-16 surrogate in \u escapes (nlohmann rejects them; copied verbatim they would make
/// the upstream body invalid).
bool validEscapes(std::string_view s)
{
	auto hex4 = [&](size_t at, uint32_t & v) {
		if (at + 4 > s.size())
			return false;
		v = 0;
		for (size_t k = at; k < at + 4; ++k)
		{
			char c = s[k];
			int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
			if (d < 0)
				return false;
			v = v * 16 + uint32_t(d);
		}
		return true;
	};
	for (size_t i = 0; i < s.size(); ++i)
	{
		// Escapes are rare next to plain text: jump from one backslash to the next.
		const void * next = std::memchr(s.data() + i, '\\', s.size() - i);
		if (!next)
			break;
		i = size_t(static_cast<const char *>(next) - s.data());
		if (i + 1 >= s.size())
			return false;
		if (s[i + 1] != 'u')
		{
			++i; // skip the escaped character (e.g. the second backslash of "\\\\")
			continue;
		}
		uint32_t v;
		if (!hex4(i + 2, v))
			return false;
		if (v >= 0xDC00 && v <= 0xDFFF)
			return false;
		if (v >= 0xD800 && v <= 0xDBFF)
		{
			uint32_t lo;
			if (i + 7 >= s.size() || s[i + 6] != '\\' || s[i + 7] != 'u' || !hex4(i + 8, lo) || lo < 0xDC00 || lo > 0xDFFF)
				return false;
			i += 6;
		}
		i += 5;
	}
	return true;
}

/// Strict UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF).
bool validUtf8(std::string_view s)
{
	size_t i = 0, n = s.size();
	while (i < n)
	{
		// Mostly ASCII: eight bytes at a time while no high bit is set.
		while (n - i >= 8)
		{
			uint64_t w;
			std::memcpy(&w, s.data() + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		unsigned char c = static_cast<unsigned char>(s[i]);
		if (c < 0x80)
		{
			++i;
			continue;
		}
		size_t len;
		unsigned char lo = 0x80, hi = 0xBF;
		if (c >= 0xC2 && c <= 0xDF)
			len = 2;
		else if (c >= 0xE0 && c <= 0xEF)
		{
			len = 3;
			if (c == 0xE0)
				lo = 0xA0;
			else if (c == 0xED)
				hi = 0x9F;
		}
		else if (c >= 0xF0 && c <= 0xF4)
		{
			len = 4;
			if (c == 0xF0)
				lo = 0x90;
			else if (c == 0xF4)
				hi = 0x8F;
		}
		else
			return false;
		if (i + len > n)
			return false;
		unsigned char c1 = static_cast<unsigned char>(s[i + 1]);
		if (c1 < lo || c1 > hi)
			return false;
		for (size_t k = 2; k < len; ++k)
		{
			unsigned char ck = static_cast<unsigned char>(s[i + k]);
			if (ck < 0x80 || ck > 0xBF)
				return false;
		}
		i += len;
	}
	return true;
}

} // namespace

const std::vector<std::string> & defaultStripKeywords()
{
	// Keywords from JSON Schema 2019-09/2020-12 and annotations that OpenAI-style providers reject
	// (or choke on) in function parameters. `format`, `pattern`, `anyOf`, `$defs`/`$ref` and
	// `additionalProperties` are widely accepted and kept.
	static const std::vector<std::string> kDefault = {"$schema", "$id", "$comment", "$anchor", "$dynamicRef",
		"$dynamicAnchor", "propertyNames", "const", "exclusiveMinimum", "exclusiveMaximum", "examples", "additionalItems",
		"unevaluatedProperties", "unevaluatedItems", "dependentSchemas", "dependentRequired", "if", "then", "else",
		"contentEncoding", "contentMediaType", "contentSchema"};
	return kDefault;
}

RequestResult convertRequest(std::string_view anthropicBody, const RequestOptions & options)
{
	RequestResult result;
	// A UTF-8 byte order mark is skipped, as a JSON parser does.
	if (anthropicBody.size() >= 3 && anthropicBody.compare(0, 3, "\xEF\xBB\xBF") == 0)
		anthropicBody.remove_prefix(3);
	// The whole body is validated once, as strictly as a JSON parser would (syntax, UTF-8, no lone
	// surrogate escape, no NUL); the converter then copies string bytes without decoding them.
	std::vector<json::Member> top;
	if (anthropicBody.find('\0') != std::string_view::npos || !json::scanObject(anthropicBody, top) ||
		!validUtf8(anthropicBody) || !validEscapes(anthropicBody))
	{
		result.error = "the request body is not a JSON object";
		return result;
	}
	try
	{
		RequestConverter conv(anthropicBody, options);
		if (!conv.run(top, result.body))
		{
			result.body.clear();
			result.errorField = conv.failure.field;
			result.error = conv.failure.field + ": " + conv.failure.message;
			return result;
		}
		result.stream = conv.stream;
		result.ok = true;
	}
	catch (const std::exception & e)
	{
		// A field of an unexpected type where only a string (or boolean) makes sense.
		result.ok = false;
		result.body.clear();
		result.error = std::string("cannot convert the request: ") + e.what();
	}
	return result;
}

// Estimate used for count_tokens on OpenAI endpoints, where no tokenizer of the real model is at
// hand. Method: count the Unicode code points of every string in `system`, in each message's content
// (text, tool_use input keys and values, tool_result text, documents) and in each tool's name,
// description and input_schema (keys and values); CJK code points count 1/1.5 token, all others 1/4
// token. Add 4 tokens per message, 8 per tool and 1600 per image, then round up. Deterministic, never
// negative; 0 when the body is not a JSON object.
int64_t estimateInputTokens(std::string_view anthropicBody)
{
	if (anthropicBody.find('\0') != std::string_view::npos)
		return 0;
	std::optional<json::Span> toolsSpan;
	std::string withoutTools;
	std::string_view domText = splitTools(anthropicBody, withoutTools, toolsSpan);
	Json body = Json::parse(domText.begin(), domText.end(), nullptr, false);
	if (body.is_discarded() || !body.is_object())
		return 0;
	try
	{
		return estimateParsed(body, anthropicBody, toolsSpan);
	}
	catch (const std::exception &)
	{
		return 0; // a field of an unexpected type; the proxy then counts nothing rather than failing
	}
}

namespace
{

int64_t estimateParsed(const Json & body, std::string_view rawDoc, const std::optional<json::Span> & rawTools)
{
	CharCount count;
	uint64_t fixed = 0;
	auto system = body.find("system");
	if (system != body.end())
		count.addJson(*system);
	// Images: their base64 data says nothing about their token cost, so a flat amount is used.
	std::function<void(const Json &)> content = [&](const Json & c) {
		if (c.is_string())
		{
			count.add(c.get_ref<const std::string &>());
			return;
		}
		if (c.is_array())
		{
			for (auto & b : c)
				content(b);
			return;
		}
		if (!c.is_object())
			return;
		std::string type = c.value("type", "");
		if (type == "image" || (type == "document" && c.contains("source") && c.at("source").value("type", "") == "base64" &&
			c.at("source").value("media_type", "") != "text/plain"))
		{
			fixed += 1600;
			return;
		}
		for (auto & kv : c.items())
		{
			if (kv.key() == "type" || kv.key() == "id" || kv.key() == "tool_use_id" || kv.key() == "cache_control" ||
				kv.key() == "signature")
				continue;
			if (kv.key() == "content")
				content(kv.value());
			else
				count.addJson(kv.value());
		}
	};
	auto messages = body.find("messages");
	if (messages != body.end() && messages->is_array())
		for (auto & m : *messages)
		{
			fixed += 4;
			if (m.is_object() && m.contains("content"))
				content(m.at("content"));
		}
	auto tools = body.find("tools");
	if (tools != body.end() && tools->is_array())
		for (auto & t : *tools)
		{
			fixed += 8;
			if (!t.is_object())
				continue;
			for (const char * k : {"name", "description", "input_schema"})
				if (t.contains(k))
					count.addJson(t.at(k));
		}
	if (rawTools)
	{
		// The same count from the bytes: strings decoded, schemas (small) through a DOM.
		std::vector<json::Span> elements;
		std::vector<json::Member> members;
		if (json::scanArrayAt(rawDoc, *rawTools, elements))
			for (const auto & el : elements)
			{
				fixed += 8;
				members.clear();
				if (rawDoc[el.begin] != '{' || !json::scanObjectAt(rawDoc, el, members))
					continue;
				for (const auto & m : members)
				{
					if (m.key != "name" && m.key != "description" && m.key != "input_schema")
						continue;
					if (auto str = json::decodeString(rawDoc, m.valueSpan))
						count.add(*str);
					else
					{
						std::string_view v = m.valueSpan.of(rawDoc);
						count.addJson(Json::parse(v.begin(), v.end(), nullptr, false));
					}
				}
			}
	}
	double tokens = double(count.plain) / 4.0 + double(count.dense) / 1.5;
	return static_cast<int64_t>(std::ceil(tokens)) + static_cast<int64_t>(fixed);
}

} // namespace

} // namespace ccc::openai
