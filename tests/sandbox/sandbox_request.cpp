#include "tests/sandbox/sandbox_request.h"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace wpe {
namespace {

std::string decode(const std::string& text) {
  std::string plus = text;
  for (char& c : plus)
    if (c == '+') c = ' ';
  std::string out;
  try {
    Poco::URI::decode(plus, out);
  } catch (const Poco::Exception&) {
    return plus;  // malformed escapes: keep the raw text, validation rejects it later
  }
  return out;
}

}  // namespace

SandboxRequest::Params SandboxRequest::parseUrlEncoded(const std::string& text) {
  Params params;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    if (!part.empty()) {
      const std::size_t eq = part.find('=');
      if (eq == std::string::npos)
        params.emplace_back(decode(part), "");
      else
        params.emplace_back(decode(part.substr(0, eq)), decode(part.substr(eq + 1)));
    }
    start = end + 1;
  }
  return params;
}

std::optional<std::string> SandboxRequest::find(const Params& params, const std::string& name) {
  for (const auto& [key, value] : params)
    if (key == name) return value;
  return std::nullopt;
}

const SandboxRequest::Params& SandboxRequest::form() const {
  if (!form_) {
    const bool isForm = contentType.rfind("application/x-www-form-urlencoded", 0) == 0;
    form_ = isForm ? parseUrlEncoded(body) : Params{};
  }
  return *form_;
}

std::size_t SandboxRequest::formCount(const std::string& name) const {
  std::size_t count = 0;
  for (const auto& entry : form())
    if (entry.first == name) ++count;
  return count;
}

}  // namespace wpe
