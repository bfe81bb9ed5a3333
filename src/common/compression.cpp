#include "common/compression.hpp"

#include <zlib.h>

#include "common/ascii.hpp"

namespace stratus {

std::optional<content_coding> parse_content_coding(std::string_view name) {
  if (ascii::iequals(name, "gzip") || ascii::iequals(name, "x-gzip")) return content_coding::gzip;
  if (ascii::iequals(name, "deflate")) return content_coding::deflate;
  return std::nullopt;
}

inflate_result decompress(content_coding coding, std::string_view input, std::size_t max_output) {
  inflate_result out;
  if (input.empty()) {
    out.error = inflate_error::malformed;
    return out;
  }
  z_stream z{};
  // 16+15: gzip only; 15: zlib only.
  if (inflateInit2(&z, coding == content_coding::gzip ? 16 + MAX_WBITS : MAX_WBITS) != Z_OK) {
    out.error = inflate_error::malformed;
    return out;
  }
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  char buffer[64 * 1024];
  for (;;) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    const int rc = inflate(&z, Z_NO_FLUSH);
    out.data.append(buffer, sizeof buffer - z.avail_out);
    if (out.data.size() > max_output) {
      out.error = inflate_error::too_large;
      break;
    }
    if (rc == Z_STREAM_END) {
      // Concatenated gzip members are one stream to HTTP clients.
      if (z.avail_in == 0) break;
      if (coding != content_coding::gzip || inflateReset(&z) != Z_OK) {
        out.error = inflate_error::malformed;
        break;
      }
      continue;
    }
    if (rc != Z_OK || (z.avail_in == 0 && z.avail_out != 0)) {
      // An error, or input that ended before the stream did.
      out.error = inflate_error::malformed;
      break;
    }
  }
  inflateEnd(&z);
  return out;
}

std::string compress(content_coding coding, std::string_view input) {
  z_stream z{};
  deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED,
               coding == content_coding::gzip ? 16 + MAX_WBITS : MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
  std::string out;
  out.resize(deflateBound(&z, static_cast<uLong>(input.size())));
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data()));
  z.avail_in = static_cast<uInt>(input.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

}  // namespace stratus
