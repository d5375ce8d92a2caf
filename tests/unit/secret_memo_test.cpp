// SecretMemo: made once by the first of many concurrent readers, made again only after a throw.

#include "daemon/auth/secret_memo.h"

#include <atomic>
#include <catch2/catch.hpp>
#include <stdexcept>
#include <thread>
#include <vector>

using wpe::Secret;
using wpe::SecretMemo;

TEST_CASE("SecretMemo: readers arriving together make it once and share it", "[secret_memo]") {
  SecretMemo memo;
  std::atomic<int> made{0};
  std::atomic<bool> go{false};
  std::vector<const Secret*> seen(8, nullptr);
  std::vector<std::thread> readers;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    readers.emplace_back([&, i] {
      while (!go.load()) std::this_thread::yield();
      seen[i] = &memo.get([&] {
        ++made;
        return Secret("canary-reply-1");
      });
    });
  }
  go = true;
  for (auto& t : readers) t.join();
  CHECK(made == 1);
  for (const Secret* s : seen) {
    REQUIRE(s == seen.front());
    CHECK(s->reveal() == "canary-reply-1");
  }
  // Later readers get the kept value; their make() is not called.
  auto other = [&] {
    ++made;
    return Secret("other");
  };
  CHECK(memo.get(other).reveal() == "canary-reply-1");
  CHECK(made == 1);
}

TEST_CASE("SecretMemo: a make() that throws leaves it to the next reader", "[secret_memo]") {
  SecretMemo memo;
  CHECK_THROWS_AS(memo.get([]() -> Secret { throw std::runtime_error("out of memory"); }),
                  std::runtime_error);
  CHECK(memo.get([] { return Secret("canary-reply-2"); }).reveal() == "canary-reply-2");
}
