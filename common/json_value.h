#pragma once
// JsonValue: a small, strict, read-only JSON document for reading the local API's answers
// (wpectl reads every reply with it, and the common/ wire readers build their structs from it),
// so that the wire definitions force no JSON library on wpectl: wpectl links no POCO, and its
// start-up stays near a raw socket round trip (issue 10). Not a general-purpose library: no
// writing (common/json_writer.h does that), no number arithmetic — numbers keep their text.
//
// Strict, because a wpectl talking to a broken or hostile peer must only ever print an error:
// RFC 8259 grammar exactly (no trailing commas, no leading zeros, no bare control characters
// in strings), strings valid UTF-8 (raw and \u-escaped: no lone surrogates), no duplicate
// object keys, nesting at most kMaxDepth, input at most kMaxBytes.
// parse() never throws (except std::bad_alloc): anything else is an Internal error.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace wpe {

class JsonValue {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  // 64: the API's documents nest 4 deep; the bound keeps recursion far from the stack's end.
  static constexpr int kMaxDepth = 64;
  // 256 MiB: 40× the largest list reply (10,000 sites ≈ 6 MB, 20,000 installs ≈ 8 MB).
  static constexpr std::size_t kMaxBytes = std::size_t{256} << 20;

  static Result<JsonValue> parse(std::string_view text);

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::Null; }
  bool isBool() const { return kind_ == Kind::Bool; }
  bool isNumber() const { return kind_ == Kind::Number; }
  bool isString() const { return kind_ == Kind::String; }
  bool isObject() const { return kind_ == Kind::Object; }
  bool isArray() const { return kind_ == Kind::Array; }

  // The member `name` of an object, or a shared null value (also for non-objects).
  const JsonValue& operator[](std::string_view name) const;
  bool has(std::string_view name) const;
  // Moves the member `name` out (leaving null in its place), or null when there is none: a
  // reader keeps a 10,000-element array without copying it.
  JsonValue take(std::string_view name);
  // Array elements (empty for non-arrays); object members in document order (empty for
  // non-objects).
  const std::vector<JsonValue>& items() const { return items_; }
  const std::vector<std::pair<std::string, JsonValue>>& members() const { return members_; }

  // Display text: a string's content, a number's text, "true"/"false"; "" for null,
  // arrays and objects.
  const std::string& text() const { return text_; }
  bool boolean() const { return kind_ == Kind::Bool && text_ == "true"; }
  // A number that is an integer within int64 (no fraction, no exponent); nullopt otherwise.
  std::optional<std::int64_t> integer() const;

 private:
  friend class JsonValueParser;

  Kind kind_ = Kind::Null;
  std::string text_;
  std::vector<JsonValue> items_;                            // Array
  std::vector<std::pair<std::string, JsonValue>> members_;  // Object
};

}  // namespace wpe
