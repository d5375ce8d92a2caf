#include "ctl/secret_masker.h"

#include <algorithm>

namespace wpe::ctl {

SecretMasker::SecretMasker(std::vector<Secret> secrets) {
  for (auto& s : secrets) {
    if (!s.empty()) secrets_.push_back(std::move(s));
  }
  std::sort(secrets_.begin(), secrets_.end(),
            [](const Secret& a, const Secret& b) { return a.reveal().size() > b.reveal().size(); });
}

std::string SecretMasker::feed(std::string_view chunk) {
  pending_.append(chunk);
  return drain(false);
}

std::string SecretMasker::finish() { return drain(true); }

std::string SecretMasker::drain(bool atEnd) {
  std::string out;
  std::size_t i = 0;
  while (i < pending_.size()) {
    std::string_view rest(pending_.data() + i, pending_.size() - i);
    std::size_t matched = 0;
    bool wait = false;
    for (const auto& secret : secrets_) {  // longest first
      const std::string& s = secret.reveal();
      if (rest.size() >= s.size()) {
        if (rest.compare(0, s.size(), s) == 0) {
          matched = s.size();
          break;
        }
      } else if (!atEnd && s.compare(0, rest.size(), rest) == 0) {
        // The rest may still grow into this secret, and a shorter one matching here would
        // leave the longer one's tail visible: wait for the next chunk to decide.
        wait = true;
        break;
      }
    }
    if (wait) break;
    if (matched > 0) {
      out += kConcealed;
      i += matched;
    } else {
      out += pending_[i++];
    }
  }
  pending_.erase(0, i);
  return out;
}

}  // namespace wpe::ctl
