#include "ctl/min_valid_option.h"

namespace wpe::ctl {
namespace {

constexpr long kMaxMinValid = 86400;

}  // namespace

Result<std::string> minValidQuery(const std::string& value) {
  bool valid = !value.empty() && value.size() <= 6;
  for (char c : value) valid = valid && c >= '0' && c <= '9';
  if (!valid || std::stol(value) > kMaxMinValid) {
    return Error(ErrorCode::BadRequest,
                 "--min-valid must be a whole number of seconds from 0 to 86400");
  }
  return "?min_valid=" + value;
}

}  // namespace wpe::ctl
