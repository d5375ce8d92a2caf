#include "common/generation.h"

#include <catch2/catch.hpp>

using wpe::Generation;

TEST_CASE("Generation: a stamp stays current until the next advance", "[generation]") {
  Generation generation;
  const Generation::Stamp seen = generation.stamp();
  CHECK(generation.isCurrent(seen));
  CHECK(generation.stamp() == seen);
  generation.advance();
  CHECK_FALSE(generation.isCurrent(seen));
  CHECK(generation.stamp() != seen);
  CHECK(generation.isCurrent(generation.stamp()));
}

TEST_CASE("Generation: an older stamp never becomes current again", "[generation]") {
  Generation generation;
  const Generation::Stamp first = generation.stamp();
  generation.advance();
  const Generation::Stamp second = generation.stamp();
  generation.advance();
  CHECK_FALSE(generation.isCurrent(first));
  CHECK_FALSE(generation.isCurrent(second));
  CHECK(first != second);
}

TEST_CASE("Generation: a default stamp is that of a fresh generation", "[generation]") {
  Generation fresh;
  CHECK(fresh.isCurrent(Generation::Stamp()));
  fresh.advance();
  CHECK_FALSE(fresh.isCurrent(Generation::Stamp()));
}

TEST_CASE("Generation: generations are independent", "[generation]") {
  Generation a;
  Generation b;
  const Generation::Stamp seenA = a.stamp();
  b.advance();
  CHECK(a.isCurrent(seenA));
}
