#pragma once
// JsonValue: a small read-only JSON document for wpectl's human output. POCO's parser
// takes ~400 ms on a 10,000-site answer (6 MB); this one parses it in a few tens of ms
// because it only builds what a table needs: strings unescaped, numbers kept as their
// text. Not a general-purpose library: no writing, no number arithmetic.
// parse() never throws: malformed input, or nesting deeper than 64, is an Internal error.

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/result.h"

namespace wpe::ctl {

class JsonValue {
 public:
  enum class Kind { Null, Bool, Number, String, Array, Object };

  static Result<JsonValue> parse(std::string_view text);

  Kind kind() const { return kind_; }
  bool isNull() const { return kind_ == Kind::Null; }
  bool isObject() const { return kind_ == Kind::Object; }
  bool isArray() const { return kind_ == Kind::Array; }

  // The member `name` of an object, or a shared null value (also for non-objects).
  const JsonValue& operator[](std::string_view name) const;
  bool has(std::string_view name) const;
  // Array elements (empty for non-arrays).
  const std::vector<JsonValue>& items() const { return items_; }

  // Display text: a string's content, a number's text, "true"/"false"; "" for null,
  // arrays and objects.
  const std::string& text() const { return text_; }
  bool boolean() const { return kind_ == Kind::Bool && text_ == "true"; }

 private:
  friend class JsonValueParser;

  Kind kind_ = Kind::Null;
  std::string text_;
  std::vector<JsonValue> items_;                            // Array
  std::vector<std::pair<std::string, JsonValue>> members_;  // Object
};

}  // namespace wpe::ctl
