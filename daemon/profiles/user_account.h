#pragma once
// UserAccount: who a profile's credential belongs to, from the API's GET /user
// ({id, email, first_name, last_name, …}), so `wpectl status` can say "acme: ready,
// account Joe Doe <joe@acme.example>" and a user sees at once which login a folder uses.
// Nothing here is secret. Values are escaped for display (control characters from outside
// never reach a terminal or a log) and capped. A value type; fromUserJson() is pure.

#include <optional>
#include <string>

namespace wpe {

struct UserAccount {
  std::string email;
  std::string name;  // "First Last", either part may be missing

  // nullopt when the body is not a JSON object with an email or a name.
  static std::optional<UserAccount> fromUserJson(const std::string& body);
};

}  // namespace wpe
