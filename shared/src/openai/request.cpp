#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <set>

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

class RequestConverter
{
public:
	/// `body` is consumed: tool schemas are moved out of it.
	RequestConverter(Json & body, const RequestOptions & options) : _body(body), _options(options)
	{
		const auto & strip = options.stripSchemaKeywords ? *options.stripSchemaKeywords : defaultStripKeywords();
		_strip.insert(strip.begin(), strip.end());
		_stripConst = _strip.count("const") != 0;
		_stripEnum = _strip.count("enum") != 0;
	}

	bool run(OJson & out)
	{
		std::string model = _options.model;
		if (model.empty())
		{
			auto it = _body.find("model");
			if (it != _body.end() && it->is_string())
				model = it->get<std::string>();
		}
		if (model.empty())
			return fail("model", "no model: the request has none and the endpoint sets none");
		out["model"] = model;
		_gpt5 = containsNoCase(model, "gpt-5");

		OJson messages = OJson::array();
		if (!convertSystem(messages) || !convertMessages(messages))
			return false;
		if (_options.reorderSystemFirst)
			mergeSystemFirst(messages);
		out["messages"] = std::move(messages);

		if (!convertTools(out))
			return false;
		if (!convertScalars(out))
			return false;
		return true;
	}

	Failure failure;

private:
	bool fail(std::string field, std::string message)
	{
		failure.field = std::move(field);
		failure.message = std::move(message);
		return false;
	}

	// ---- system ------------------------------------------------------------------------------

	/// Text of a system prompt given as a string or as text blocks (joined with a newline).
	bool systemText(const Json & value, const std::string & field, std::string & text)
	{
		text.clear();
		if (value.is_string())
		{
			text = value.get<std::string>();
			return true;
		}
		if (!value.is_array())
			return fail(field, "must be a string or an array of text blocks");
		bool first = true;
		for (size_t i = 0; i < value.size(); ++i)
		{
			const Json & block = value[i];
			std::string f = indexed(field, i);
			if (!block.is_object())
				return fail(f, "must be a content block object");
			std::string type = block.value("type", "");
			if (type != "text")
				return fail(f + ".type", "system content of type '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
			auto t = block.find("text");
			if (t == block.end() || !t->is_string())
				return fail(f + ".text", "must be a string");
			if (!first)
				text += "\n";
			text += t->get<std::string>();
			first = false;
		}
		return true;
	}

	bool convertSystem(OJson & messages)
	{
		auto it = _body.find("system");
		if (it == _body.end() || it->is_null())
			return true;
		std::string text;
		if (!systemText(*it, "system", text))
			return false;
		if (!text.empty())
			messages.push_back(OJson{{"role", "system"}, {"content", text}});
		return true;
	}

	static void mergeSystemFirst(OJson & messages)
	{
		std::string merged;
		bool any = false;
		OJson rest = OJson::array();
		for (auto & m : messages)
		{
			if (m["role"] == "system")
			{
				if (any)
					merged += "\n";
				merged += m["content"].get<std::string>();
				any = true;
			}
			else
				rest.push_back(std::move(m));
		}
		if (!any)
			return;
		messages = OJson::array();
		messages.push_back(OJson{{"role", "system"}, {"content", merged}});
		for (auto & m : rest)
			messages.push_back(std::move(m));
	}

	// ---- messages ----------------------------------------------------------------------------

	bool convertMessages(OJson & messages)
	{
		auto it = _body.find("messages");
		if (it == _body.end() || !it->is_array())
			return fail("messages", "must be an array");
		for (size_t i = 0; i < it->size(); ++i)
		{
			const Json & msg = (*it)[i];
			std::string field = indexed("messages", i);
			if (!msg.is_object())
				return fail(field, "must be an object");
			std::string role = msg.value("role", "");
			auto content = msg.find("content");
			if (content == msg.end() || !(content->is_string() || content->is_array()))
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
					messages.push_back(OJson{{"role", "system"}, {"content", text}});
			}
			else
				return fail(field + ".role", "unsupported role '" + role + "'");
			if (!ok)
				return false;
		}
		return true;
	}

	/// An OpenAI image part from an Anthropic image block.
	bool imagePart(const Json & block, const std::string & field, OJson & part)
	{
		auto src = block.find("source");
		if (src == block.end() || !src->is_object())
			return fail(field + ".source", "image needs a source object");
		std::string type = src->value("type", "");
		std::string url;
		if (type == "base64")
		{
			auto data = src->find("data");
			auto media = src->find("media_type");
			if (data == src->end() || !data->is_string() || media == src->end() || !media->is_string())
				return fail(field + ".source", "base64 image needs media_type and data strings");
			url = "data:" + media->get<std::string>() + ";base64," + data->get<std::string>();
		}
		else if (type == "url")
		{
			auto u = src->find("url");
			if (u == src->end() || !u->is_string())
				return fail(field + ".source.url", "must be a string");
			url = u->get<std::string>();
		}
		else
			return fail(field + ".source.type", "image source '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
		part = OJson{{"type", "image_url"}, {"image_url", OJson{{"url", url}}}};
		return true;
	}

	/// The text of a document block (plain text sources and content blocks; PDFs cannot be sent).
	bool documentText(const Json & block, const std::string & field, std::string & text)
	{
		auto src = block.find("source");
		if (src == block.end() || !src->is_object())
			return fail(field + ".source", "document needs a source object");
		std::string type = src->value("type", "");
		std::string body;
		if (type == "text")
		{
			auto d = src->find("data");
			if (d == src->end() || !d->is_string())
				return fail(field + ".source.data", "must be a string");
			body = d->get<std::string>();
		}
		else if (type == "content")
		{
			auto c = src->find("content");
			if (c != src->end() && c->is_string())
				body = c->get<std::string>();
			else if (c != src->end() && c->is_array())
			{
				for (size_t i = 0; i < c->size(); ++i)
				{
					const Json & b = (*c)[i];
					if (!b.is_object() || b.value("type", "") != "text" || !b.contains("text") || !b["text"].is_string())
						return fail(indexed(field + ".source.content", i), "only text blocks can be sent to an OpenAI-compatible endpoint");
					if (!body.empty())
						body += "\n";
					body += b["text"].get<std::string>();
				}
			}
			else
				return fail(field + ".source.content", "must be a string or an array of text blocks");
		}
		else if (type == "base64" && src->value("media_type", "") == "text/plain" && src->contains("data") && src->at("data").is_string())
		{
			if (!decodeBase64(src->at("data").get<std::string>(), body))
				return fail(field + ".source.data", "is not valid base64");
		}
		else
			return fail(field + ".source.type", "document source '" + type + "' (" + src->value("media_type", "") +
				") cannot be sent to an OpenAI-compatible endpoint");
		text.clear();
		auto title = block.find("title");
		if (title != block.end() && title->is_string() && !title->get<std::string>().empty())
			text = "Document: " + title->get<std::string>() + "\n";
		auto context = block.find("context");
		if (context != block.end() && context->is_string() && !context->get<std::string>().empty())
			text += context->get<std::string>() + "\n";
		text += body;
		return true;
	}

	/// Text for blocks that only Anthropic understands but whose content the model still needs:
	/// a search_result (title, source, text content) and a tool_reference (Claude Code's tool search
	/// names the tools it made available; every tool is sent to OpenAI endpoints anyway).
	bool textOfSpecialBlock(const Json & block, const std::string & field, std::string & text)
	{
		std::string type = block.value("type", "");
		if (type == "tool_reference")
		{
			auto name = block.find("tool_name");
			if (name == block.end() || !name->is_string())
				return fail(field + ".tool_name", "must be a string");
			text = "[tool available: " + name->get<std::string>() + "]";
			return true;
		}
		text.clear();
		auto title = block.find("title");
		if (title != block.end() && title->is_string())
			text += title->get<std::string>() + "\n";
		auto source = block.find("source");
		if (source != block.end() && source->is_string())
			text += "Source: " + source->get<std::string>() + "\n";
		auto content = block.find("content");
		if (content == block.end() || !content->is_array())
			return fail(field + ".content", "must be an array of text blocks");
		for (size_t i = 0; i < content->size(); ++i)
		{
			const Json & b = (*content)[i];
			if (!b.is_object() || b.value("type", "") != "text" || !b.contains("text") || !b["text"].is_string())
				return fail(indexed(field + ".content", i), "only text blocks can be sent to an OpenAI-compatible endpoint");
			if (i)
				text += "\n";
			text += b["text"].get<std::string>();
		}
		return true;
	}

	/// Builds a user message from ordered parts: a plain string when only text, an array of parts
	/// (order kept) when images are present.
	static void pushUser(OJson & messages, const std::vector<OJson> & parts)
	{
		if (parts.empty())
			return;
		bool onlyText = std::all_of(parts.begin(), parts.end(), [](const OJson & p) { return p["type"] == "text"; });
		if (onlyText)
		{
			std::string text;
			for (size_t i = 0; i < parts.size(); ++i)
			{
				if (i)
					text += "\n";
				text += parts[i]["text"].get<std::string>();
			}
			messages.push_back(OJson{{"role", "user"}, {"content", text}});
			return;
		}
		OJson arr = OJson::array();
		for (const auto & p : parts)
			arr.push_back(p);
		messages.push_back(OJson{{"role", "user"}, {"content", std::move(arr)}});
	}

	bool convertUser(const Json & content, const std::string & field, OJson & messages)
	{
		if (content.is_string())
		{
			messages.push_back(OJson{{"role", "user"}, {"content", content.get<std::string>()}});
			return true;
		}
		// Tool results first: each `tool` message must directly follow the assistant message that
		// made the call, so they go before this message's own text (OpenAI rejects anything between).
		std::vector<OJson> parts;
		for (size_t i = 0; i < content.size(); ++i)
		{
			const Json & block = content[i];
			std::string f = indexed(field, i);
			if (!block.is_object())
				return fail(f, "must be a content block object");
			std::string type = block.value("type", "");
			if (type == "text")
			{
				auto t = block.find("text");
				if (t == block.end() || !t->is_string())
					return fail(f + ".text", "must be a string");
				if (!t->get<std::string>().empty())
					parts.push_back(OJson{{"type", "text"}, {"text", t->get<std::string>()}});
			}
			else if (type == "image")
			{
				OJson part;
				if (!imagePart(block, f, part))
					return false;
				parts.push_back(std::move(part));
			}
			else if (type == "document")
			{
				std::string text;
				if (!documentText(block, f, text))
					return false;
				parts.push_back(OJson{{"type", "text"}, {"text", text}});
			}
			else if (type == "tool_result")
			{
				if (!toolResult(block, f, messages, parts))
					return false;
			}
			else if (type == "search_result")
			{
				std::string text;
				if (!textOfSpecialBlock(block, f, text))
					return false;
				parts.push_back(OJson{{"type", "text"}, {"text", text}});
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
	bool toolResult(const Json & block, const std::string & field, OJson & messages, std::vector<OJson> & userParts)
	{
		auto id = block.find("tool_use_id");
		if (id == block.end() || !id->is_string() || id->get<std::string>().empty())
			return fail(field + ".tool_use_id", "tool_result needs a tool_use_id");
		std::string text;
		size_t images = 0;
		auto c = block.find("content");
		if (c != block.end() && c->is_string())
			text = c->get<std::string>();
		else if (c != block.end() && c->is_array())
		{
			for (size_t i = 0; i < c->size(); ++i)
			{
				const Json & b = (*c)[i];
				std::string f = indexed(field + ".content", i);
				if (!b.is_object())
					return fail(f, "must be a content block object");
				std::string type = b.value("type", "");
				if (type == "text")
				{
					if (!b.contains("text") || !b["text"].is_string())
						return fail(f + ".text", "must be a string");
					if (!text.empty())
						text += "\n";
					text += b["text"].get<std::string>();
				}
				else if (type == "image")
				{
					OJson part;
					if (!imagePart(b, f, part))
						return false;
					userParts.push_back(std::move(part));
					++images;
				}
				else if (type == "document")
				{
					std::string doc;
					if (!documentText(b, f, doc))
						return false;
					if (!text.empty())
						text += "\n";
					text += doc;
				}
				else if (type == "tool_reference" || type == "search_result")
				{
					std::string t;
					if (!textOfSpecialBlock(b, f, t))
						return false;
					if (!text.empty())
						text += "\n";
					text += t;
				}
				else
					return fail(f + ".type", "tool_result content of type '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
			}
		}
		else if (c != block.end() && !c->is_null())
			return fail(field + ".content", "must be a string or an array of content blocks");
		if (images)
		{
			if (!text.empty())
				text += "\n";
			text += images == 1 ? "[the image is attached in the next user message]"
			                    : "[" + std::to_string(images) + " images are attached in the next user message]";
		}
		if (block.value("is_error", false))
			text = "[tool error] " + text;
		messages.push_back(OJson{{"role", "tool"}, {"tool_call_id", id->get<std::string>()}, {"content", text}});
		return true;
	}

	bool convertAssistant(const Json & content, const std::string & field, OJson & messages)
	{
		if (content.is_string())
		{
			messages.push_back(OJson{{"role", "assistant"}, {"content", content.get<std::string>()}});
			return true;
		}
		std::string text, reasoning;
		bool anyText = false;
		OJson calls = OJson::array();
		for (size_t i = 0; i < content.size(); ++i)
		{
			const Json & block = content[i];
			std::string f = indexed(field, i);
			if (!block.is_object())
				return fail(f, "must be a content block object");
			std::string type = block.value("type", "");
			if (type == "text")
			{
				auto t = block.find("text");
				if (t == block.end() || !t->is_string())
					return fail(f + ".text", "must be a string");
				if (t->get<std::string>().empty())
					continue;
				if (anyText)
					text += "\n";
				text += t->get<std::string>();
				anyText = true;
			}
			else if (type == "tool_use")
			{
				auto id = block.find("id");
				auto name = block.find("name");
				if (id == block.end() || !id->is_string() || id->get<std::string>().empty())
					return fail(f + ".id", "tool_use needs an id");
				if (name == block.end() || !name->is_string() || name->get<std::string>().empty())
					return fail(f + ".name", "tool_use needs a name");
				auto input = block.find("input");
				std::string args = input == block.end() || input->is_null() ? "{}" : detail::dump(*input);
				calls.push_back(OJson{{"id", id->get<std::string>()}, {"type", "function"},
					{"function", OJson{{"name", name->get<std::string>()}, {"arguments", args}}}});
			}
			else if (type == "thinking")
			{
				if (_options.keepThinkingHistory && block.contains("thinking") && block["thinking"].is_string())
					reasoning += block["thinking"].get<std::string>();
			}
			else if (type == "redacted_thinking")
				continue; // encrypted for Anthropic only
			else
				return fail(f + ".type", "assistant content of type '" + type + "' cannot be sent to an OpenAI-compatible endpoint");
		}
		if (!anyText && calls.empty() && reasoning.empty())
			return true; // nothing left to say (e.g. a turn that held only thinking)
		OJson m{{"role", "assistant"}};
		// With tool calls and no text, content is null: what the OpenAI SDKs themselves send back.
		if (anyText || calls.empty())
			m["content"] = text;
		else
			m["content"] = nullptr;
		if (!reasoning.empty())
			m["reasoning_content"] = reasoning;
		if (!calls.empty())
			m["tool_calls"] = std::move(calls);
		messages.push_back(std::move(m));
		return true;
	}

	// ---- tools -------------------------------------------------------------------------------

	/// Removes the configured keywords from a JSON Schema, recursing only into places that hold
	/// subschemas (so a property that happens to be called "const" or "format" survives).
	/// `const: v` becomes `enum: [v]` when const is stripped: same meaning, older keyword.
	void cleanSchema(Json & schema) const
	{
		if (!schema.is_object())
			return;
		auto stripped = [this](const std::string & k) { return _strip.count(k) != 0; };
		if (_stripConst && !_stripEnum && schema.contains("const") && !schema.contains("enum"))
			schema["enum"] = Json::array({schema["const"]});
		// One pass over the keys: drop stripped ones, recurse into those that hold subschemas.
		for (auto it = schema.begin(); it != schema.end();)
		{
			const std::string & key = it.key();
			if (stripped(key))
			{
				it = schema.erase(it);
				continue;
			}
			Json & value = it.value();
			switch (subschemaKind(key))
			{
			case Sub::Map:
				if (value.is_object())
					for (auto & sub : value.items())
						cleanSchema(sub.value());
				break;
			case Sub::Single:
				cleanSchema(value);
				break;
			case Sub::List:
				if (value.is_array())
					for (auto & sub : value)
						cleanSchema(sub);
				else
					cleanSchema(value); // `items` may be one schema or (draft 4-2019) a list
				break;
			case Sub::None:
				break;
			}
			++it;
		}
	}

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

	bool convertTools(OJson & out)
	{
		auto it = _body.find("tools");
		bool haveTools = false;
		if (rawTools)
		{
			if (!convertToolsRaw())
				return false;
			haveTools = !toolsText.empty();
		}
		else if (it != _body.end() && !it->is_null())
		{
			if (!it->is_array())
				return fail("tools", "must be an array");
			OJson tools = OJson::array();
			for (size_t i = 0; i < it->size(); ++i)
			{
				Json & tool = (*it)[i];
				std::string f = indexed("tools", i);
				if (!tool.is_object())
					return fail(f, "must be an object");
				std::string type = tool.value("type", "custom");
				if (type != "custom")
					return fail(f + ".type", "server tool '" + type + "' cannot be served by an OpenAI-compatible endpoint");
				auto name = tool.find("name");
				if (name == tool.end() || !name->is_string() || name->get<std::string>().empty())
					return fail(f + ".name", "tool needs a name");
				Json schema = Json{{"type", "object"}, {"properties", Json::object()}};
				auto s = tool.find("input_schema");
				if (s != tool.end() && !s->is_null())
				{
					if (!s->is_object())
						return fail(f + ".input_schema", "must be an object");
					schema = std::move(*s);
					cleanSchema(schema);
				}
				OJson fn{{"name", name->get<std::string>()}};
				auto d = tool.find("description");
				if (d != tool.end() && d->is_string())
					fn["description"] = d->get<std::string>();
				fn["parameters"] = std::move(schema);
				tools.push_back(OJson{{"type", "function"}, {"function", std::move(fn)}});
			}
			haveTools = !tools.empty();
			if (haveTools)
				out["tools"] = std::move(tools);
		}
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

	/// The tools array straight from the request bytes (see convertRequest): names and descriptions
	/// are copied as the client encoded them, only each input_schema goes through a DOM.
	bool convertToolsRaw()
	{
		std::string_view doc = rawDoc;
		std::vector<json::Span> elements;
		if (!json::scanArrayAt(doc, *rawTools, elements))
			return fail("tools", "must be an array");
		std::string text;
		std::vector<json::Member> members;
		for (size_t i = 0; i < elements.size(); ++i)
		{
			std::string f = indexed("tools", i);
			members.clear();
			if (doc[elements[i].begin] != '{' || !json::scanObjectAt(doc, elements[i], members))
				return fail(f, "must be an object");
			std::optional<std::string> type, name;
			std::optional<json::Span> description, schemaSpan;
			for (const auto & m : members)
			{
				if (m.key == "type")
				{
					type = json::decodeString(doc, m.valueSpan);
					if (!type)
						return fail(f + ".type", "must be a string");
				}
				else if (m.key == "name")
					name = json::decodeString(doc, m.valueSpan);
				else if (m.key == "description")
					description = doc[m.valueSpan.begin] == '"' ? std::optional<json::Span>(m.valueSpan) : std::nullopt;
				else if (m.key == "input_schema")
					schemaSpan = m.valueSpan;
			}
			if (type && *type != "custom")
				return fail(f + ".type", "server tool '" + *type + "' cannot be served by an OpenAI-compatible endpoint");
			if (!name || name->empty())
				return fail(f + ".name", "tool needs a name");
			std::string schemaText = "{\"type\":\"object\",\"properties\":{}}";
			if (schemaSpan && schemaSpan->of(doc) != "null")
			{
				if (doc[schemaSpan->begin] != '{')
					return fail(f + ".input_schema", "must be an object");
				std::string_view st = schemaSpan->of(doc);
				Json schema = Json::parse(st.begin(), st.end(), nullptr, false);
				if (schema.is_discarded() || !schema.is_object())
					return fail(f + ".input_schema", "must be an object");
				cleanSchema(schema);
				schemaText = detail::dump(schema);
			}
			text += text.empty() ? "[" : ",";
			text += "{\"type\":\"function\",\"function\":{\"name\":" + json::quote(*name);
			if (description)
			{
				text += ",\"description\":";
				text += description->of(doc);
			}
			text += ",\"parameters\":" + schemaText + "}}";
		}
		if (!text.empty())
			text += "]";
		toolsText = std::move(text);
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

public:
	bool stream = false;
	/// Set by convertRequest when the tools array was left out of the DOM: its place in rawDoc.
	std::optional<json::Span> rawTools;
	std::string_view rawDoc;
	std::string toolsText; ///< the converted tools array (raw path), empty when there are none

private:
	Json & _body;
	const RequestOptions & _options;
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
		if (s[i] != '\\')
			continue;
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
	// nlohmann stops at a NUL byte and would accept "{...}\0garbage"; valid JSON never holds a raw NUL.
	if (anthropicBody.find('\0') != std::string_view::npos)
	{
		result.error = "the request body is not a JSON object";
		return result;
	}
	// Tools are converted from the request bytes (descriptions copied verbatim), which more than
	// halves the time for Claude Code's requests.
	std::optional<json::Span> toolsSpan;
	std::string withoutTools;
	std::string_view domText = splitTools(anthropicBody, withoutTools, toolsSpan);
	Json body = Json::parse(domText.begin(), domText.end(), nullptr, false);
	if (body.is_discarded() || !body.is_object())
	{
		result.error = "the request body is not a JSON object";
		return result;
	}
	try
	{
		RequestConverter conv(body, options);
		conv.rawTools = toolsSpan;
		conv.rawDoc = anthropicBody;
		OJson out;
		if (!conv.run(out))
		{
			result.errorField = conv.failure.field;
			result.error = conv.failure.field + ": " + conv.failure.message;
			return result;
		}
		result.stream = conv.stream;
		if (conv.toolsText.empty())
			result.body = detail::dump(out);
		else
		{
			// Same member order as the DOM path: tools right after messages.
			std::string & b = result.body;
			b.reserve(anthropicBody.size());
			b += '{';
			bool first = true;
			for (auto it = out.begin(); it != out.end(); ++it)
			{
				if (!first)
					b += ',';
				first = false;
				b += json::quote(it.key());
				b += ':';
				b += detail::dump(it.value());
				if (it.key() == "messages")
					b += ",\"tools\":" + conv.toolsText;
			}
			b += '}';
		}
		result.ok = true;
	}
	catch (const std::exception & e)
	{
		// Defensive: the converter checks types before every access.
		result.ok = false;
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
