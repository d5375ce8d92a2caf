#include "common/json_writer.h"

#include <utility>

#include "common/wire.h"

namespace wpe {

void JsonWriter::separate() {
  if (needComma_) out_ += ',';
}

JsonWriter& JsonWriter::beginObject() {
  separate();
  out_ += '{';
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endObject() {
  out_ += '}';
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::beginArray() {
  separate();
  out_ += '[';
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::endArray() {
  out_ += ']';
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  appendJsonQuoted(out_, name);
  out_ += ':';
  needComma_ = false;
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::string(std::string_view text) {
  separate();
  appendJsonQuoted(out_, text);
  needComma_ = true;
  return *this;
}

JsonWriter& JsonWriter::stringOrNull(std::string_view text) {
  return text.empty() ? null() : string(text);
}

JsonWriter& JsonWriter::null() { return raw("null"); }

JsonWriter& JsonWriter::boolean(bool value) { return raw(value ? "true" : "false"); }

JsonWriter& JsonWriter::number(std::int64_t value) { return raw(std::to_string(value)); }

JsonWriter& JsonWriter::unsignedNumber(std::uint64_t value) { return raw(std::to_string(value)); }

std::string JsonWriter::take() {
  needComma_ = false;
  return std::exchange(out_, {});
}

}  // namespace wpe
