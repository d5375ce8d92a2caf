#pragma once
// SecretMasker: rewrites one output stream so that none of a set of secrets gets through,
// each occurrence replaced by kConcealed (`wpectl exec --mask`). Fed in arbitrary chunks (a
// pipe's reads split text anywhere), it holds back a tail that could still be the start of a
// secret — at most the longest secret's length minus one byte — until the next chunk decides
// it, so a secret split across reads is still caught. Bytes that cannot begin a secret are
// passed on at once, so interactive output is not delayed.
// Not thread-safe; one per stream. Empty secrets are ignored.

#include <string>
#include <string_view>
#include <vector>

#include "common/secret.h"

namespace wpe::ctl {

class SecretMasker {
 public:
  static constexpr std::string_view kConcealed = "<concealed by wpectl>";

  explicit SecretMasker(std::vector<Secret> secrets);

  // The output that is safe to write now for `chunk` appended to what was held back.
  std::string feed(std::string_view chunk);
  // The end of the stream: what is still held back (it can no longer become a secret).
  std::string finish();

 private:
  // Passes on pending_ up to where a secret could still begin (atEnd: everything).
  std::string drain(bool atEnd);

  std::vector<Secret> secrets_;  // longest first: the longest match wins at a position
  std::string pending_;
};

}  // namespace wpe::ctl
