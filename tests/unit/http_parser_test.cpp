#include <catch2/catch.hpp>

#include "daemon/localapi/http_request_parser.h"

using namespace wpe;
using State = HttpRequestParser::State;

namespace {

struct Parsed {
  State state;
  ApiRequest request;
  Error error;
  std::size_t consumed = 0;
  bool keepAlive = true;
};

Parsed parseAll(const std::string& text, const HttpLimits& limits = HttpLimits{}) {
  HttpRequestParser parser(limits);
  Parsed out;
  out.state = parser.parse(text, out.request);
  out.error = parser.error();
  out.consumed = parser.consumed();
  out.keepAlive = parser.keepAlive();
  return out;
}

}  // namespace

TEST_CASE("HttpRequestParser: a simple GET with query parameters", "[http_parser]") {
  auto p = parseAll(
      "GET /v1/profiles/x/sites?refresh=1&name=a%20b+c HTTP/1.1\r\nHost: localhost\r\nX-Thing:  v "
      "\r\n\r\n");
  REQUIRE(p.state == State::Complete);
  CHECK(p.request.method == "GET");
  CHECK(p.request.path == "/v1/profiles/x/sites");
  CHECK(p.request.queryParam("refresh") == "1");
  CHECK(p.request.queryParam("name") == "a b c");
  CHECK(p.request.header("x-thing") == "v");
  CHECK(p.keepAlive);
}

TEST_CASE("HttpRequestParser: body by Content-Length, pipelined requests", "[http_parser]") {
  std::string first = "POST /v1/reload HTTP/1.1\r\nHost: l\r\nContent-Length: 5\r\n\r\nhello";
  std::string second = "GET /v1/status HTTP/1.1\r\nHost: l\r\n\r\n";
  std::string both = first + second;
  HttpLimits limits;
  HttpRequestParser parser(limits);
  ApiRequest request;
  REQUIRE(parser.parse(both, request) == State::Complete);
  CHECK(request.body == "hello");
  CHECK(parser.consumed() == first.size());
  parser.reset();
  request.clear();
  REQUIRE(parser.parse(std::string_view(both).substr(first.size()), request) == State::Complete);
  CHECK(request.path == "/v1/status");
}

TEST_CASE("HttpRequestParser: bytes arriving one at a time", "[http_parser]") {
  std::string text = "POST /v1/x HTTP/1.1\r\nHost: l\r\nContent-Length: 3\r\n\r\nabc";
  HttpLimits limits;
  HttpRequestParser parser(limits);
  ApiRequest request;
  for (std::size_t n = 1; n < text.size(); ++n) {
    REQUIRE(parser.parse(std::string_view(text).substr(0, n), request) == State::NeedMore);
  }
  REQUIRE(parser.parse(text, request) == State::Complete);
  CHECK(request.body == "abc");
  CHECK(request.headers.size() == 2);
}

TEST_CASE("HttpRequestParser: limits give 414, 431 and 413", "[http_parser]") {
  SECTION("request line too long → 414, even before it ends") {
    auto p = parseAll("GET /" + std::string(9000, 'a'));
    REQUIRE(p.state == State::Failed);
    CHECK(p.error.code == ErrorCode::UriTooLong);
  }
  SECTION("too many header fields → 431") {
    std::string text = "GET / HTTP/1.1\r\nHost: l\r\n";
    for (int i = 0; i < 101; ++i) text += "X-" + std::to_string(i) + ": v\r\n";
    auto p = parseAll(text + "\r\n");
    REQUIRE(p.state == State::Failed);
    CHECK(p.error.code == ErrorCode::HeadersTooLarge);
  }
  SECTION("header section too large → 431, even before it ends") {
    auto p = parseAll("GET / HTTP/1.1\r\nX-Big: " + std::string(17 * 1024, 'b'));
    REQUIRE(p.state == State::Failed);
    CHECK(p.error.code == ErrorCode::HeadersTooLarge);
  }
  SECTION("body larger than the limit → 413 from Content-Length alone") {
    auto p = parseAll("POST / HTTP/1.1\r\nHost: l\r\nContent-Length: 1048577\r\n\r\n");
    REQUIRE(p.state == State::Failed);
    CHECK(p.error.code == ErrorCode::PayloadTooLarge);
    auto huge =
        parseAll("POST / HTTP/1.1\r\nHost: l\r\nContent-Length: 99999999999999999999999\r\n\r\n");
    CHECK(huge.error.code == ErrorCode::PayloadTooLarge);
  }
  SECTION("exactly at the limits is fine") {
    HttpLimits small;
    small.maxBodyBytes = 4;
    auto p = parseAll("POST / HTTP/1.1\r\nHost: l\r\nContent-Length: 4\r\n\r\nabcd", small);
    CHECK(p.state == State::Complete);
  }
}

TEST_CASE("HttpRequestParser: malformed requests → 400", "[http_parser]") {
  const char* bad[] = {
      "GET /x HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nTransfer-Encoding: chunked\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nContent-Length: -1\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nContent-Length: 1x\r\n\r\n",
      "GET /x HTTP/2.0\r\nHost: l\r\n\r\n",
      "GET x HTTP/1.1\r\nHost: l\r\n\r\n",
      "GET /x  HTTP/1.1\r\nHost: l\r\n\r\n",
      "GET /x\r\n\r\n",
      "G(T /x HTTP/1.1\r\nHost: l\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nBad Header: v\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nNoColon\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\n folded: v\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nX: a\x01z\r\n\r\n",
      "GET /x?a=%zz HTTP/1.1\r\nHost: l\r\n\r\n",
      "GET /x HTTP/1.1\r\n\r\n",
      "GET /\x7f HTTP/1.1\r\nHost: l\r\n\r\n",
      "GET /x HTTP/1.1\r\nHost: l\r\nExpect: something\r\n\r\n",
  };
  for (const char* text : bad) {
    INFO(text);
    auto p = parseAll(text);
    REQUIRE(p.state == State::Failed);
    CHECK(p.error.code == ErrorCode::BadRequest);
    CHECK_FALSE(p.keepAlive);
  }
}

TEST_CASE("HttpRequestParser: keep-alive rules", "[http_parser]") {
  CHECK(parseAll("GET / HTTP/1.1\r\nHost: l\r\n\r\n").keepAlive);
  CHECK_FALSE(parseAll("GET / HTTP/1.1\r\nHost: l\r\nConnection: close\r\n\r\n").keepAlive);
  CHECK_FALSE(parseAll("GET / HTTP/1.0\r\n\r\n").keepAlive);
  CHECK(parseAll("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive);
}

TEST_CASE("HttpRequestParser: Expect: 100-continue is noticed; bare LF line ends work",
          "[http_parser]") {
  HttpLimits limits;
  HttpRequestParser parser(limits);
  ApiRequest request;
  REQUIRE(parser.parse(
              "POST / HTTP/1.1\r\nHost: l\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n",
              request) == State::NeedMore);
  CHECK(parser.headersComplete());
  CHECK(parser.expectsContinue());
  auto lf = parseAll("GET /a HTTP/1.1\nHost: l\n\n");
  CHECK(lf.state == State::Complete);
}

TEST_CASE("percentDecode: valid and invalid escapes", "[http_parser]") {
  std::string out;
  CHECK(percentDecode("a%2Fb%2e", out, false));
  CHECK(out == "a/b.");
  CHECK_FALSE(percentDecode("a%2", out, false));
  CHECK_FALSE(percentDecode("%g0", out, false));
  CHECK(percentDecode("a+b", out, false));
  CHECK(out == "a+b");
}
