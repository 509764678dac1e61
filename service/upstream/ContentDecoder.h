#pragma once
#include <memory>
#include <string>
#include <string_view>

namespace ccc::upstream
{

/// Streaming decoder for an upstream Content-Encoding (gzip, deflate, br, zstd; identity when
/// empty). Compressed SSE is decoded piece by piece so events still flow as they arrive.
class ContentDecoder
{
public:
	/// Null (with `error`) for an encoding we cannot decode.
	static std::unique_ptr<ContentDecoder> create(const std::string & contentEncoding, std::string & error);
	virtual ~ContentDecoder() = default;

	/// Appends the decoded form of `input` to `out`; false (with error) on corrupt data.
	virtual bool decode(std::string_view input, std::string & out, std::string & error) = 0;
	/// End of input: false if the compressed stream was cut short.
	virtual bool finish(std::string & error) = 0;
	virtual bool identity() const { return false; }
};

/// The Accept-Encoding we send upstream: what ContentDecoder can decode.
inline constexpr const char * kAcceptEncoding = "gzip, deflate, br, zstd";

} // namespace ccc::upstream
