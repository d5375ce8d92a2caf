#pragma once
// JsonWriter: builds one JSON document as text, members in the order written, for the local
// API's replies and requests (common/ wire writers). Small on purpose: the wire structs are
// flat, and wpectl must not link a JSON library to build a request (issue 10). Strings go
// through jsonQuote (common/wire.h); the caller supplies UTF-8. The writer does not check the
// nesting it is given: a key outside an object is a programmer error the unit tests catch.
//
//   JsonWriter w;
//   w.beginObject().key("ok").boolean(true).endObject();
//   std::string body = w.take();  // {"ok":true}

#include <cstdint>
#include <string>
#include <string_view>

namespace wpe {

class JsonWriter {
 public:
  JsonWriter& beginObject();
  JsonWriter& endObject();
  JsonWriter& beginArray();
  JsonWriter& endArray();
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  // "" is sent as null (the API's convention for "never" and "none").
  JsonWriter& stringOrNull(std::string_view text);
  JsonWriter& null();
  JsonWriter& boolean(bool value);
  JsonWriter& number(std::int64_t value);
  JsonWriter& unsignedNumber(std::uint64_t value);
  // A JSON text already encoded (e.g. a cached array), spliced in as it is.
  JsonWriter& raw(std::string_view json);

  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  // The document; the writer is empty afterwards.
  std::string take();

 private:
  void separate();

  std::string out_;
  bool needComma_ = false;
};

}  // namespace wpe
