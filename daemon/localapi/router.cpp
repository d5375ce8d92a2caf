#include "daemon/localapi/router.h"

#include <Poco/Exception.h>
#include <Poco/Logger.h>

#include <array>
#include <cassert>
#include <stdexcept>

#include "common/log_escape.h"
#include "daemon/localapi/http_request_parser.h"

namespace wpe {
namespace {

// The most segments a route may have: a path's first kMaxSegments segments are all a route
// can look at (a passthrough's tail starts within them).
constexpr std::size_t kMaxSegments = 8;

// Calls `each(i, segment)` for every raw segment of "/a/b/c" (0 "a", 1 "b", 2 "c"); returns
// how many there are.
template <typename Each>
std::size_t forEachSegment(std::string_view path, Each each) {
  if (path.empty() || path.front() != '/') return 0;
  std::size_t count = 0;
  for (std::size_t start = 1;; ++count) {
    auto slash = path.find('/', start);
    each(count, path.substr(start, slash == std::string_view::npos ? slash : slash - start));
    if (slash == std::string_view::npos) return count + 1;
    start = slash + 1;
  }
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, Handler handler) {
  Route route{std::move(method), std::string(pattern), {}, std::move(handler)};
  forEachSegment(pattern, [&](std::size_t, std::string_view part) {
    if (part.size() > 5 && part.front() == '{' && part.substr(part.size() - 4) == "...}") {
      route.segments.push_back({Segment::Kind::Tail, std::string(part.substr(1, part.size() - 5))});
    } else if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
      route.segments.push_back(
          {Segment::Kind::Param, std::string(part.substr(1, part.size() - 2))});
    } else {
      route.segments.push_back({Segment::Kind::Literal, std::string(part)});
    }
  });
  assert(!route.segments.empty());
  if (route.segments.size() > kMaxSegments) {
    // Routes are set up at start: a longer one is a bug that every test run shows at once.
    throw std::logic_error("route " + route.pattern + " has more than " +
                           std::to_string(kMaxSegments) + " segments");
  }
  routes_.push_back(std::move(route));
}

void Router::addParamRule(std::string name, std::function<bool(std::string_view)> valid,
                          std::string description) {
  rules_.push_back({std::move(name), std::move(valid), std::move(description)});
}

// The request path's segments, each percent-decoded the first time a route needs it (and only
// then: a bad escape in a segment no route reaches is not an error), then kept for the next
// routes. A segment without '%' is its own decoding and is not copied. Built on the stack for
// every request: no allocation (issue 10: the token request's hot path).
class Router::PathSegments {
 public:
  explicit PathSegments(std::string_view path) {
    count_ = forEachSegment(path, [this](std::size_t i, std::string_view segment) {
      if (i < kMaxSegments) raw_[i] = segment;
    });
  }

  // How many segments the path has (more than kMaxSegments only says "more than any route").
  std::size_t size() const { return count_; }
  std::string_view raw(std::size_t i) const { return raw_[i]; }
  // False when the segment holds a malformed %-escape. i < kMaxSegments.
  bool decoded(std::size_t i, std::string_view& out) {
    if (state_[i] == State::Unread) {
      if (raw_[i].find('%') == std::string_view::npos) {
        state_[i] = State::Plain;
      } else {
        state_[i] = percentDecode(raw_[i], decoded_[i], false) ? State::Decoded : State::Bad;
      }
    }
    if (state_[i] == State::Bad) return false;
    out = state_[i] == State::Plain ? raw_[i] : std::string_view(decoded_[i]);
    return true;
  }

 private:
  enum class State : unsigned char { Unread, Plain, Decoded, Bad };
  std::size_t count_ = 0;
  std::array<std::string_view, kMaxSegments> raw_{};
  std::array<std::string, kMaxSegments> decoded_{};
  std::array<State, kMaxSegments> state_{};
};

Router::Match Router::match(const Route& route, PathSegments& path) const {
  const auto& segs = route.segments;
  bool hasTail = segs.back().kind == Segment::Kind::Tail;
  if (hasTail ? path.size() < segs.size() : path.size() != segs.size()) return Match::No;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const auto& seg = segs[i];
    if (seg.kind == Segment::Kind::Tail) break;
    std::string_view decoded;
    if (!path.decoded(i, decoded)) return Match::BadEscape;
    if (seg.kind == Segment::Kind::Literal && decoded != seg.text) return Match::No;
  }
  return Match::Yes;
}

void Router::setParams(const Route& route, PathSegments& path, ApiRequest& request) const {
  auto& params = request.pathParams;
  params.clear();
  std::string_view rawPath = request.path;
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const auto& seg = route.segments[i];
    if (seg.kind == Segment::Kind::Tail) {
      // The raw remainder of the path, from this segment's first byte.
      params.emplace_back(seg.text, rawPath.substr(static_cast<std::size_t>(path.raw(i).data() -
                                                                            rawPath.data())));
      break;
    }
    if (seg.kind == Segment::Kind::Param) {
      std::string_view value;
      path.decoded(i, value);  // match() has decoded it
      params.emplace_back(seg.text, value);
    }
  }
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
  setParams(*chosen, path, request);
  for (const auto& rule : rules_) {
    for (const auto& [name, value] : request.pathParams) {
      if (name == rule.name && !rule.valid(value)) {
        return ApiResponse::error(ErrorCode::BadRequest,
                                  "\"" + escapeForLog(value, 80) + "\" is not " + rule.description);
      }
    }
  }
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
