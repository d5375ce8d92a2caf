#include "ctl/relative_time.h"

namespace wpe::ctl {

std::string formatAge(std::chrono::seconds age) {
  auto s = age.count();
  if (s < 60) return "just now";
  if (s < 3600) return std::to_string(s / 60) + " min ago";
  if (s < 86400) return std::to_string(s / 3600) + " h ago";
  auto days = s / 86400;
  return std::to_string(days) + (days == 1 ? " day ago" : " days ago");
}

}  // namespace wpe::ctl
