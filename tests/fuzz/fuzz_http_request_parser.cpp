// The local API's HTTP/1.1 request parser (daemon/localapi/http_request_parser), fed the bytes
// a client on the Unix socket sends. Invariants:
//  - the outcome does not depend on how the bytes were split across reads;
//  - a Complete request consumed no more than it was given, and re-serialised from its parsed
//    parts it parses again to the same method, target, headers and body;
//  - a Failed one carries a 4xx-class error code with a message.
#include <cstddef>
#include <cstdint>
#include <string>

#include "daemon/localapi/http_request_parser.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

struct Outcome {
  wpe::HttpRequestParser::State state = wpe::HttpRequestParser::State::NeedMore;
  wpe::ApiRequest request;
  std::size_t consumed = 0;
  wpe::ErrorCode error = wpe::ErrorCode::Internal;
};

// Feeds `input` in pieces of `chunk` bytes (0: all at once), as the connection does.
Outcome run(const wpe::HttpLimits& limits, std::string_view input, std::size_t chunk) {
  wpe::HttpRequestParser parser(limits);
  Outcome out;
  std::size_t have = chunk == 0 ? input.size() : 0;
  while (true) {
    if (chunk != 0) have = std::min(input.size(), have + chunk);
    out.state = parser.parse(input.substr(0, have), out.request);
    if (out.state != wpe::HttpRequestParser::State::NeedMore || have == input.size()) break;
  }
  if (out.state == wpe::HttpRequestParser::State::Complete) out.consumed = parser.consumed();
  if (out.state == wpe::HttpRequestParser::State::Failed) {
    out.error = parser.error().code;
    FUZZ_CHECK(!parser.error().message.empty(), "a parse failure without a message");
  }
  return out;
}

std::string serialise(const wpe::ApiRequest& r) {
  std::string text = r.method + " " + r.target + " HTTP/1." + std::to_string(r.minorVersion) +
                     "\r\n";
  for (const auto& [name, value] : r.headers) text += name + ": " + value + "\r\n";
  return text + "\r\n" + r.body;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Small limits so the fuzzer reaches every limit branch with short inputs.
  wpe::HttpLimits limits;
  limits.maxRequestLine = 256;
  limits.maxHeaderFields = 8;
  limits.maxHeaderBytes = 512;
  limits.maxBodyBytes = 256;
  const std::string_view input = wpe::fuzz::bytes(data, size);

  const Outcome whole = run(limits, input, 0);
  const Outcome dripped = run(limits, input, size % 7 + 1);
  FUZZ_CHECK(whole.state == dripped.state, "the outcome depends on how the bytes were split");
  if (whole.state == wpe::HttpRequestParser::State::Failed) {
    FUZZ_CHECK(whole.error == dripped.error, "the error depends on how the bytes were split");
    return 0;
  }
  if (whole.state != wpe::HttpRequestParser::State::Complete) return 0;
  FUZZ_CHECK(whole.consumed == dripped.consumed, "consumed depends on the split");
  FUZZ_CHECK(whole.consumed <= size, "consumed more bytes than it was given");
  FUZZ_CHECK(whole.request.method == dripped.request.method &&
                 whole.request.target == dripped.request.target &&
                 whole.request.headers == dripped.request.headers &&
                 whole.request.body == dripped.request.body,
             "the parsed request depends on how the bytes were split");

  // Re-parsed with room for the ": " and CRLFs the canonical form may add to each header and
  // the request line (a request just under a limit could otherwise come back 431 or 414).
  wpe::HttpLimits roomier = limits;
  roomier.maxHeaderBytes += 3 * (whole.request.headers.size() + 1);
  roomier.maxRequestLine += 1;  // the CR a request line ended by a bare LF gets back
  const std::string again = serialise(whole.request);
  const Outcome reparsed = run(roomier, again, 0);
  FUZZ_CHECK(reparsed.state == wpe::HttpRequestParser::State::Complete,
             "a parsed request, re-serialised, no longer parses");
  FUZZ_CHECK(reparsed.consumed == again.size(), "a re-serialised request left bytes over");
  FUZZ_CHECK(reparsed.request.method == whole.request.method &&
                 reparsed.request.target == whole.request.target &&
                 reparsed.request.path == whole.request.path &&
                 reparsed.request.query == whole.request.query &&
                 reparsed.request.headers == whole.request.headers &&
                 reparsed.request.body == whole.request.body &&
                 reparsed.request.minorVersion == whole.request.minorVersion,
             "a re-serialised request parses differently");
  return 0;
}
