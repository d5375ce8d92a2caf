#pragma once
// ApiRequest: one parsed request on the local API, as handlers see it. Built by
// HttpRequestParser (method, target, headers, body) and completed by Router (path params).
// Owned by the connection that read it; valid for the duration of the handler call.

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "daemon/audit/connection_peer.h"

namespace wpe {

struct ApiRequest {
  std::string method;    // as sent, e.g. "GET" (methods are case-sensitive in HTTP)
  std::string target;    // the raw request target, e.g. "/v1/profiles/x/sites?refresh=1"
  std::string path;      // the raw path part of target (still percent-encoded)
  std::string rawQuery;  // after '?', without it
  std::multimap<std::string, std::string> query;             // decoded query parameters
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;
  // Decoded {name}s, {name...} tails raw, in the route's order. A vector, not a map: it keeps
  // its capacity from one kept-alive request to the next, so a request whose names and values
  // are short (a profile name: the token request) allocates nothing for them.
  std::vector<std::pair<std::string, std::string>> pathParams;
  int minorVersion = 1;                           // HTTP/1.x
  // The connection's peer (SO_PEERCRED, and its identity once resolved); null when the
  // request did not come over a connection (tests). Not reset by clear(): it is the
  // connection's, shared by its kept-alive requests.
  ConnectionPeer* peer = nullptr;

  // The first header with this lower-case name, or "" when absent.
  std::string_view header(std::string_view lowerName) const {
    for (const auto& h : headers) {
      if (h.first == lowerName) return h.second;
    }
    return {};
  }
  // The first query parameter with this name, or `fallback`.
  std::string queryParam(const std::string& name, const std::string& fallback = {}) const {
    auto it = query.find(name);
    return it == query.end() ? fallback : it->second;
  }
  // The route's parameter `name`; std::out_of_range when the route has none of that name.
  const std::string& param(std::string_view name) const {
    for (const auto& [key, value] : pathParams) {
      if (key == name) return value;
    }
    throw std::out_of_range("no path parameter " + std::string(name));
  }

  void clear() {
    method.clear();
    target.clear();
    path.clear();
    rawQuery.clear();
    query.clear();
    headers.clear();
    body.clear();
    pathParams.clear();
    minorVersion = 1;
  }
};

}  // namespace wpe
