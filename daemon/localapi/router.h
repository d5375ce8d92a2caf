#pragma once
// Router: maps (method, path pattern) to handlers for the local API.
//
//   router.add("GET", "/v1/profiles/{p}/sites/{id}", handler);   // {name}: one segment
//   router.add("*",   "/v1/profiles/{p}/api/{rest...}", handler); // {name...}: the raw tail
//   router.addParamRule("p", isValidProfileName, "a profile name ([A-Za-z0-9_-]{1,64})");
//
// Segments are percent-decoded before matching and before they reach pathParams (so
// "%2e%2e" is "..", and a rule rejects it); a tail parameter is passed raw (still encoded)
// so a passthrough can forward it byte for byte. Method "*" matches every method.
// dispatch() never throws: unknown path → 404, known path with another method → 405 with
// Allow, a parameter failing its rule or a bad %-escape → 400, an exception escaping a
// handler → 500 internal (logged, the message to the client names no detail).
//
// Set up (add/addParamRule) before serving starts; dispatch() is then safe from any thread.

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/localapi/api_request.h"
#include "daemon/localapi/api_response.h"

namespace Poco {
class Logger;
}

namespace wpe {

class Router {
 public:
  using Handler = std::function<ApiResponse(ApiRequest&)>;

  explicit Router(Poco::Logger& logger) : logger_(logger) {}

  void add(std::string method, std::string_view pattern, Handler handler);
  void addParamRule(std::string name, std::function<bool(std::string_view)> valid,
                    std::string description);

  ApiResponse dispatch(ApiRequest& request) const;

 private:
  struct Segment {
    enum class Kind { Literal, Param, Tail } kind;
    std::string text;  // the literal, or the parameter's name
  };
  struct Route {
    std::string method;
    std::string pattern;
    std::vector<Segment> segments;
    Handler handler;
  };
  struct ParamRule {
    std::string name;
    std::function<bool(std::string_view)> valid;
    std::string description;
  };
  enum class Match { No, Yes, BadEscape };
  class PathSegments;

  Match match(const Route& route, PathSegments& path) const;
  // Sets request.pathParams to the chosen route's parameters (match() has returned Yes).
  void setParams(const Route& route, PathSegments& path, ApiRequest& request) const;

  Poco::Logger& logger_;
  std::vector<Route> routes_;
  std::vector<ParamRule> rules_;
};

}  // namespace wpe
