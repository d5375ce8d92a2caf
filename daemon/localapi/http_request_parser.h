#pragma once
// HttpRequestParser: an incremental HTTP/1.1 request parser with hard limits, fed from a
// buffer so it is unit-testable without sockets. The connection appends bytes to its buffer
// and calls parse() again until the state is Complete or Failed.
//
//   Failed carries the answer: 400 malformed (also Transfer-Encoding with Content-Length,
//   any Transfer-Encoding, bad escapes, control characters), 413 body larger than the limit
//   (decided from Content-Length before a body byte is read), 414 request line too long,
//   431 too many or too large headers. After Failed the connection answers and closes.
//
// Work per call is proportional to the new bytes (a slow-drip client costs no rescans).
// One parser per connection; reset() between requests. Not thread-safe.

#include <cstddef>
#include <string_view>

#include "common/error.h"
#include "daemon/localapi/api_request.h"
#include "daemon/localapi/http_limits.h"

namespace wpe {

class HttpRequestParser {
 public:
  enum class State { NeedMore, Complete, Failed };

  explicit HttpRequestParser(const HttpLimits& limits) : limits_(limits) {}

  // Parses the request at the start of `buffer` (which holds everything received so far and
  // not yet consumed) into `request`, which must stay the same object until Complete.
  State parse(std::string_view buffer, ApiRequest& request);
  void reset();

  // Complete: how many bytes of the buffer the request used (the rest is the next request).
  std::size_t consumed() const { return consumed_; }
  // Failed: the error to answer with (its code gives the status).
  const Error& error() const { return error_; }
  // Headers are complete (the body may still be arriving).
  bool headersComplete() const { return stage_ >= Stage::Body; }
  bool expectsContinue() const { return expectContinue_; }
  // Whether the connection may carry another request after this one.
  bool keepAlive() const { return keepAlive_; }

 private:
  enum class Stage { RequestLine, Headers, Body, Done };

  State fail(ErrorCode code, std::string message);
  State parseRequestLine(std::string_view line, ApiRequest& request);
  State parseHeaderLine(std::string_view line, ApiRequest& request);
  State finishHeaders(ApiRequest& request);

  const HttpLimits& limits_;
  Stage stage_ = Stage::RequestLine;
  std::size_t pos_ = 0;          // next unparsed byte in the buffer
  std::size_t headerStart_ = 0;  // where the header section starts
  std::size_t bodyStart_ = 0;
  std::size_t contentLength_ = 0;
  std::size_t consumed_ = 0;
  bool expectContinue_ = false;
  bool keepAlive_ = true;
  Error error_;
};

// Percent-decodes `in` into `out`; false on a malformed escape. `plusIsSpace` for queries.
bool percentDecode(std::string_view in, std::string& out, bool plusIsSpace);

}  // namespace wpe
