#include "daemon/localapi/router.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <cassert>

#include "common/log_escape.h"
#include "daemon/localapi/http_request_parser.h"

namespace wpe {
namespace {

// Splits "/a/b/c" into raw segments {"a","b","c"} (views into `path`).
std::vector<std::string_view> splitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (path.empty() || path.front() != '/') return out;
  std::size_t start = 1;
  for (;;) {
    auto slash = path.find('/', start);
    out.push_back(path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, Handler handler) {
  Route route{std::move(method), std::string(pattern), {}, std::move(handler)};
  for (auto part : splitPath(pattern)) {
    if (part.size() > 5 && part.front() == '{' && part.substr(part.size() - 4) == "...}") {
      route.segments.push_back({Segment::Kind::Tail, std::string(part.substr(1, part.size() - 5))});
    } else if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      route.segments.push_back(
          {Segment::Kind::Param, std::string(part.substr(1, part.size() - 2))});
    } else {
      route.segments.push_back({Segment::Kind::Literal, std::string(part)});
    }
  }
  assert(!route.segments.empty());
  routes_.push_back(std::move(route));
}

void Router::addParamRule(std::string name, std::function<bool(std::string_view)> valid,
                          std::string description) {
  rules_.push_back({std::move(name), std::move(valid), std::move(description)});
}

Router::Match Router::match(const Route& route, const std::vector<std::string_view>& raw,
                            std::string_view path,
                            std::map<std::string, std::string>& params) const {
  const auto& segs = route.segments;
  bool hasTail = segs.back().kind == Segment::Kind::Tail;
  if (hasTail ? raw.size() < segs.size() : raw.size() != segs.size()) return Match::No;
  std::string decoded;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (seg.kind == Segment::Kind::Tail) {
      // The raw remainder of the path, from this segment's first byte.
      params[seg.text] =
          std::string(path.substr(static_cast<std::size_t>(raw[i].data() - path.data())));
      break;
    }
    if (!percentDecode(raw[i], decoded, false)) return Match::BadEscape;
    if (seg.kind == Segment::Kind::Literal) {
      if (decoded != seg.text) return Match::No;
    } else {
      params[seg.text] = decoded;
    }
  }
  return Match::Yes;
}

ApiResponse Router::dispatch(ApiRequest& request) const {
  auto raw = splitPath(request.path);
  std::string allow;
  const Route* chosen = nullptr;
  std::map<std::string, std::string> chosenParams;
  for (const auto& route : routes_) {
    std::map<std::string, std::string> params;
    auto m = match(route, raw, request.path, params);
    if (m == Match::BadEscape) {
      return ApiResponse::error(ErrorCode::BadRequest, "malformed %-escape in the path");
    }
    if (m == Match::No) continue;
    if (route.method == "*" || route.method == request.method) {
      if (chosen == nullptr) {
        chosen = &route;
        chosenParams = std::move(params);
      }
    } else if (allow.find(route.method) == std::string::npos) {
      allow += (allow.empty() ? "" : ", ") + route.method;
    }
  }
  if (chosen == nullptr) {
    if (allow.empty()) {
      return ApiResponse::error(ErrorCode::NotFound,
                                "no such endpoint: " + escapeForLog(request.path, 120));
    }
    auto r = ApiResponse::error(
        ErrorCode::MethodNotAllowed,
        escapeForLog(request.method, 20) + " is not allowed here (allowed: " + allow + ")");
    r.headers.emplace_back("Allow", allow);
    return r;
  }
  for (const auto& rule : rules_) {
    auto it = chosenParams.find(rule.name);
    if (it != chosenParams.end() && !rule.valid(it->second)) {
      return ApiResponse::error(ErrorCode::BadRequest, "\"" + escapeForLog(it->second, 80) +
                                                           "\" is not " + rule.description);
    }
  }
  request.pathParams = std::move(chosenParams);
  try {
    return chosen->handler(request);
  } catch (const Poco::Exception& e) {
    logger_.error("internal error in %s %s: %s", request.method, escapeForLog(request.path),
                  escapeForLog(e.displayText()));
  } catch (const std::exception& e) {
    logger_.error("internal error in %s %s: %s", request.method, escapeForLog(request.path),
                  escapeForLog(e.what()));
  }
  return ApiResponse::error(ErrorCode::Internal, "internal error in wped; its log has the details");
}

}  // namespace wpe
