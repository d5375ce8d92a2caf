#pragma once
// Reply: what a sandbox handler wants sent back. Handlers return values instead of writing to
// the POCO response so the router can count statuses, inject faults and drop connections in
// one place.

#include <string>
#include <utility>
#include <vector>

#include "tests/sandbox/json_text.h"

namespace wpe {

struct Reply {
  enum class Delivery { Send, Drop };

  int status = 200;
  std::string body;
  std::string contentType = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  Delivery delivery = Delivery::Send;
  bool chunked = false;  // Transfer-Encoding: chunked instead of Content-Length

  static Reply json(int status, std::string body) {
    Reply reply;
    reply.status = status;
    reply.body = std::move(body);
    return reply;
  }
  // {"message": text}, the WP Engine API's error shape.
  static Reply message(int status, const std::string& text) {
    return json(status, json::message(text));
  }
  static Reply notFound() { return message(404, "Not Found"); }
  static Reply noContent() {
    Reply reply;
    reply.status = 204;
    reply.contentType.clear();
    return reply;
  }
  Reply& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

}  // namespace wpe
