#include <strings.h>

#include "daemon/upstream/http_transport.h"

namespace wpe {

std::string HttpResponse::header(const std::string& name) const {
  for (const auto& [key, value] : headers) {
    if (strcasecmp(key.c_str(), name.c_str()) == 0) return value;
  }
  return {};
}

}  // namespace wpe
