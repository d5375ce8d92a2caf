#pragma once
// SandboxRequest: one HTTP request as the handlers see it — method, decoded path and query,
// the headers they need and the whole body (capped). Built by the router from POCO's request
// so handlers stay plain functions of their input.

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace wpe {

struct SandboxRequest {
  using Params = std::vector<std::pair<std::string, std::string>>;

  std::string method;
  std::string path;      // decoded, no query
  std::string rawQuery;  // as received, for logs never (it may carry codes)
  Params query;          // decoded, in order
  std::string authorization;
  std::string contentType;
  std::string body;

  // First value of a query parameter.
  std::optional<std::string> queryParam(const std::string& name) const { return find(query, name); }
  // The body as application/x-www-form-urlencoded parameters (empty if it is not a form).
  const Params& form() const;
  std::optional<std::string> formParam(const std::string& name) const { return find(form(), name); }
  // How many times a form parameter appears (RFC 6749 §3.2: no parameter may repeat).
  std::size_t formCount(const std::string& name) const;

  static Params parseUrlEncoded(const std::string& text);
  static std::optional<std::string> find(const Params& params, const std::string& name);

 private:
  mutable std::optional<Params> form_;
};

}  // namespace wpe
