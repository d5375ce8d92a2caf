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
  out.reserve(8);  // no route has more than 5 segments: one allocation, not three
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

// The request path's segments, each percent-decoded the first time a route needs it (and only
// then: a bad escape in a segment no route reaches is not an error), then kept for the next
// routes. dispatch() used to decode every segment again for each of its ~20 routes, and build a
// map of parameters for each: ~1 µs of every token request (issue 10).
class Router::PathSegments {
 public:
  explicit PathSegments(std::string_view path)
      : raw_(splitPath(path)), decoded_(raw_.size()), state_(raw_.size(), State::Unread) {}

  std::size_t size() const { return raw_.size(); }
  std::string_view raw(std::size_t i) const { return raw_[i]; }
  // Null when the segment holds a malformed %-escape.
  const std::string* decoded(std::size_t i) {
    if (state_[i] == State::Unread) {
      state_[i] = percentDecode(raw_[i], decoded_[i], false) ? State::Ok : State::Bad;
    }
    return state_[i] == State::Ok ? &decoded_[i] : nullptr;
  }

 private:
  enum class State : unsigned char { Unread, Ok, Bad };
  std::vector<std::string_view> raw_;
  std::vector<std::string> decoded_;
  std::vector<State> state_;
};

Router::Match Router::match(const Route& route, PathSegments& path) const {
  const auto& segs = route.segments;
  bool hasTail = segs.back().kind == Segment::Kind::Tail;
  if (hasTail ? path.size() < segs.size() : path.size() != segs.size()) return Match::No;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (seg.kind == Segment::Kind::Tail) break;
    const std::string* decoded = path.decoded(i);
    if (decoded == nullptr) return Match::BadEscape;
    if (seg.kind == Segment::Kind::Literal && *decoded != seg.text) return Match::No;
  }
  return Match::Yes;
}

std::map<std::string, std::string> Router::paramsOf(const Route& route, PathSegments& path,
                                                    std::string_view rawPath) const {
  std::map<std::string, std::string> params;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const auto& seg = route.segments[i];
    if (seg.kind == Segment::Kind::Tail) {
      // The raw remainder of the path, from this segment's first byte.
      params[seg.text] =
          std::string(rawPath.substr(static_cast<std::size_t>(path.raw(i).data() - rawPath.data())));
      break;
    }
    if (seg.kind == Segment::Kind::Param) params[seg.text] = *path.decoded(i);  // match() read it
  }
  return params;
}

ApiResponse Router::dispatch(ApiRequest& request) const {
  PathSegments path(request.path);
  std::string allow;
  const Route* chosen = nullptr;
  for (const auto& route : routes_) {
    auto m = match(route, path);
    if (m == Match::BadEscape) {
      return ApiResponse::error(ErrorCode::BadRequest, "malformed %-escape in the path");
    }
    if (m == Match::No) continue;
    if (route.method == "*" || route.method == request.method) {
      // The first route that takes the request serves it; the ones after it need not be
      // matched (Allow is only needed when none does).
      chosen = &route;
      break;
    }
    if (allow.find(route.method) == std::string::npos) {
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
  std::map<std::string, std::string> chosenParams = paramsOf(*chosen, path, request.path);
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
