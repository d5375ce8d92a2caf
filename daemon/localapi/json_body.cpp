#include "daemon/localapi/json_body.h"

#include <Poco/Exception.h>
#include <Poco/JSON/Parser.h>

#include "common/log_escape.h"

namespace wpe {

bool isValidUtf8(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  std::size_t n = text.size(), i = 0;
  while (i < n) {
    unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned int cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07;
    } else
      return false;
    if (i + len > n) return false;
    for (std::size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000))
      return false;
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += len;
  }
  return true;
}

Result<Poco::JSON::Object::Ptr> parseJsonObject(std::string_view body, int maxDepth) {
  if (!isValidUtf8(body))
    return Error(ErrorCode::BadRequest, "the request body is not valid UTF-8");
  int depth = 0;
  bool inString = false, escaped = false;
  for (char c : body) {
    if (inString) {
      if (escaped)
        escaped = false;
      else if (c == '\\')
        escaped = true;
      else if (c == '"')
        inString = false;
      continue;
    }
    if (c == '"')
      inString = true;
    else if (c == '{' || c == '[') {
      if (++depth > maxDepth) {
        return Error(ErrorCode::BadRequest,
                     "the request body nests deeper than " + std::to_string(maxDepth) + " levels");
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  try {
    Poco::JSON::Parser parser;
    auto value = parser.parse(std::string(body));
    if (value.type() != typeid(Poco::JSON::Object::Ptr)) {
      return Error(ErrorCode::BadRequest, "the request body must be a JSON object");
    }
    return value.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception& e) {
    return Error(ErrorCode::BadRequest,
                 "the request body is not valid JSON: " + escapeForLog(e.message(), 120));
  }
}

}  // namespace wpe
