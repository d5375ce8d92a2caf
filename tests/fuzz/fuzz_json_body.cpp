// JSON request bodies of the local API (daemon/localapi/json_body): parseJsonObject never
// throws; what it accepts is valid UTF-8 and an object; its errors are BadRequest.
#include <cstddef>
#include <cstdint>

#include "daemon/localapi/json_body.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input = wpe::fuzz::bytes(data, size);
  const bool utf8 = wpe::isValidUtf8(input);
  auto parsed = wpe::parseJsonObject(input, 8);
  if (parsed) {
    FUZZ_CHECK(utf8, "accepted a body that is not valid UTF-8");
    FUZZ_CHECK(!parsed.value().isNull(), "accepted a body without an object");
  } else {
    FUZZ_CHECK(parsed.error().code == wpe::ErrorCode::BadRequest, "a failure that is not 400");
  }
  return 0;
}
