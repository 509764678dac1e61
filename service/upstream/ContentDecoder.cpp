#include "upstream/ContentDecoder.h"

#include <brotli/decode.h>
#include <zlib.h>
#include <zstd.h>

#include <Poco/String.h>

namespace ccc::upstream
{

namespace
{

/// Caps decoded output per response: a decompression bomb must not exhaust memory.
constexpr size_t kMaxDecoded = 512ull * 1024 * 1024;

class Identity : public ContentDecoder
{
public:
	bool decode(std::string_view in, std::string & out, std::string &) override
	{
		out.append(in.data(), in.size());
		return true;
	}
	bool finish(std::string &) override { return true; }
	bool identity() const override { return true; }
};

class Zlib : public ContentDecoder
{
public:
	explicit Zlib(bool gzip) : _gzip(gzip)
	{
		// 15+32: zlib or gzip header, detected automatically.
		inflateInit2(&_z, 15 + 32);
	}
	~Zlib() override { inflateEnd(&_z); }

	bool decode(std::string_view in, std::string & out, std::string & error) override
	{
		_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
		_z.avail_in = static_cast<uInt>(in.size());
		char buf[32768];
		while (_z.avail_in > 0 && !_ended)
		{
			_z.next_out = reinterpret_cast<Bytef *>(buf);
			_z.avail_out = sizeof buf;
			int r = inflate(&_z, Z_NO_FLUSH);
			if (r == Z_DATA_ERROR && !_gzip && !_triedRaw && _total == 0)
			{
				// "deflate" sent as raw deflate without the zlib header: a common server mistake.
				_triedRaw = true;
				inflateEnd(&_z);
				_z = z_stream{};
				inflateInit2(&_z, -15);
				_z.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(in.data()));
				_z.avail_in = static_cast<uInt>(in.size());
				continue;
			}
			if (r != Z_OK && r != Z_STREAM_END && r != Z_BUF_ERROR)
			{
				error = std::string("corrupt ") + (_gzip ? "gzip" : "deflate") + " body: " + (_z.msg ? _z.msg : "inflate error");
				return false;
			}
			size_t n = sizeof buf - _z.avail_out;
			out.append(buf, n);
			_total += n;
			if (_total > kMaxDecoded)
			{
				error = "decoded body exceeds 512 MB";
				return false;
			}
			if (r == Z_STREAM_END)
				_ended = true;
			if (r == Z_BUF_ERROR && n == 0)
				break;
		}
		return true;
	}

	bool finish(std::string & error) override
	{
		if (!_ended && _total > 0)
		{
			error = std::string("the ") + (_gzip ? "gzip" : "deflate") + " body was cut short";
			return false;
		}
		return true;
	}

private:
	z_stream _z{};
	bool _gzip;
	bool _ended = false;
	bool _triedRaw = false;
	size_t _total = 0;
};

class Brotli : public ContentDecoder
{
public:
	Brotli() : _s(BrotliDecoderCreateInstance(nullptr, nullptr, nullptr)) { }
	~Brotli() override { BrotliDecoderDestroyInstance(_s); }

	bool decode(std::string_view in, std::string & out, std::string & error) override
	{
		size_t availIn = in.size();
		const uint8_t * nextIn = reinterpret_cast<const uint8_t *>(in.data());
		while (true)
		{
			uint8_t buf[32768];
			size_t availOut = sizeof buf;
			uint8_t * nextOut = buf;
			BrotliDecoderResult r = BrotliDecoderDecompressStream(_s, &availIn, &nextIn, &availOut, &nextOut, nullptr);
			out.append(reinterpret_cast<char *>(buf), sizeof buf - availOut);
			_total += sizeof buf - availOut;
			if (_total > kMaxDecoded)
			{
				error = "decoded body exceeds 512 MB";
				return false;
			}
			if (r == BROTLI_DECODER_RESULT_ERROR)
			{
				error = std::string("corrupt br body: ") + BrotliDecoderErrorString(BrotliDecoderGetErrorCode(_s));
				return false;
			}
			if (r == BROTLI_DECODER_RESULT_SUCCESS)
			{
				_ended = true;
				return true;
			}
			if (r == BROTLI_DECODER_RESULT_NEEDS_MORE_INPUT)
				return true;
		}
	}

	bool finish(std::string & error) override
	{
		if (!_ended && _total > 0)
		{
			error = "the br body was cut short";
			return false;
		}
		return true;
	}

private:
	BrotliDecoderState * _s;
	bool _ended = false;
	size_t _total = 0;
};

class Zstd : public ContentDecoder
{
public:
	Zstd() : _s(ZSTD_createDStream()) { ZSTD_initDStream(_s); }
	~Zstd() override { ZSTD_freeDStream(_s); }

	bool decode(std::string_view in, std::string & out, std::string & error) override
	{
		ZSTD_inBuffer input{in.data(), in.size(), 0};
		while (input.pos < input.size)
		{
			char buf[32768];
			ZSTD_outBuffer output{buf, sizeof buf, 0};
			size_t r = ZSTD_decompressStream(_s, &output, &input);
			if (ZSTD_isError(r))
			{
				error = std::string("corrupt zstd body: ") + ZSTD_getErrorName(r);
				return false;
			}
			out.append(buf, output.pos);
			_total += output.pos;
			if (_total > kMaxDecoded)
			{
				error = "decoded body exceeds 512 MB";
				return false;
			}
			_frameDone = r == 0;
		}
		return true;
	}

	bool finish(std::string & error) override
	{
		if (!_frameDone && _total > 0)
		{
			error = "the zstd body was cut short";
			return false;
		}
		return true;
	}

private:
	ZSTD_DStream * _s;
	bool _frameDone = false;
	size_t _total = 0;
};

} // namespace

std::unique_ptr<ContentDecoder> ContentDecoder::create(const std::string & contentEncoding, std::string & error)
{
	std::string enc = Poco::toLower(Poco::trim(contentEncoding));
	if (enc.empty() || enc == "identity")
		return std::make_unique<Identity>();
	if (enc == "gzip" || enc == "x-gzip")
		return std::make_unique<Zlib>(true);
	if (enc == "deflate")
		return std::make_unique<Zlib>(false);
	if (enc == "br")
		return std::make_unique<Brotli>();
	if (enc == "zstd")
		return std::make_unique<Zstd>();
	error = "unsupported Content-Encoding from the upstream: " + contentEncoding;
	return nullptr;
}

} // namespace ccc::upstream
