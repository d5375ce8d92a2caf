#include <catch2/catch.hpp>

#include "ctl/secret_masker.h"

using namespace wpe;
using namespace wpe::ctl;

namespace {

// Feeds `text` in chunks of `size` bytes and returns everything written.
std::string masked(SecretMasker& masker, const std::string& text, std::size_t size) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); i += size) out += masker.feed(text.substr(i, size));
  return out + masker.finish();
}

}  // namespace

TEST_CASE("SecretMasker: a secret is concealed however the output is split", "[secret_masker]") {
  const std::string text = "token=s3cr3t-value; again s3cr3t-value; almost s3cr3t-valu\n";
  const std::string expected =
      "token=<concealed by wpectl>; again <concealed by wpectl>; almost s3cr3t-valu\n";
  for (std::size_t size = 1; size <= text.size(); ++size) {
    SecretMasker masker({Secret("s3cr3t-value")});
    CHECK(masked(masker, text, size) == expected);
  }
}

TEST_CASE("SecretMasker: output that cannot start a secret is passed on at once",
          "[secret_masker]") {
  SecretMasker masker({Secret("abcdef")});
  CHECK(masker.feed("hello ") == "hello ");
  CHECK(masker.feed("xab") == "x");  // "ab" may still become the secret
  CHECK(masker.feed("cz") == "abcz");
  CHECK(masker.feed("abc") == "");
  CHECK(masker.finish() == "abc");
}

TEST_CASE("SecretMasker: the longest secret wins, an empty one is ignored", "[secret_masker]") {
  SecretMasker masker({Secret("abc"), Secret(""), Secret("abcdef")});
  CHECK(masker.feed("abc") == "");
  CHECK(masker.feed("def abc.") == "<concealed by wpectl> <concealed by wpectl>.");
  CHECK(masker.feed("abc") == "");
  CHECK(masker.finish() == "<concealed by wpectl>");
}
