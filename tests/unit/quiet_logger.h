#pragma once
// Test support: a POCO logger that swallows everything (the unit tests assert on values, not
// log lines), and a local-API request built from a method and a path.

#include <Poco/Logger.h>
#include <Poco/NullChannel.h>

#include <string>

#include "daemon/localapi/api_request.h"

namespace wpe::test {

inline Poco::Logger& quietLogger() {
  static Poco::Logger& logger = []() -> Poco::Logger& {
    Poco::Logger& l = Poco::Logger::get("unit_tests_quiet");
    l.setChannel(new Poco::NullChannel);  // refcounted; the logger holds it
    return l;
  }();
  return logger;
}

inline ApiRequest request(std::string method, std::string path) {
  ApiRequest r;
  r.method = std::move(method);
  r.path = std::move(path);
  return r;
}

}  // namespace wpe::test
