#include "ctl/shell_quote.h"

namespace wpe::ctl {

std::string shellQuote(std::string_view value) {
  std::string quoted;
  quoted.reserve(value.size() + 2);
  quoted += '\'';
  for (char c : value) {
    if (c == '\'') {
      quoted += "'\\''";  // close the quotes, an escaped quote, reopen
    } else {
      quoted += c;
    }
  }
  quoted += '\'';
  return quoted;
}

}  // namespace wpe::ctl
