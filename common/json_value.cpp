#include "common/json_value.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "common/utf8_scan.h"

namespace wpe {

// The recursive-descent parser behind JsonValue::parse (a friend, so it fills values in place
// without copies). Every function returns false at the first byte that breaks the grammar.
class JsonValueParser {
 public:
  explicit JsonValueParser(std::string_view text) : text_(text) {}

  bool document(JsonValue& out) {
    skipSpace();
    if (!value(out, 0)) return false;
    skipSpace();
    return pos_ == text_.size();
  }

 private:
  // Objects up to this size are checked for duplicate keys pair by pair; larger ones by
  // sorting (a hostile object of 100,000 keys must not cost 10^10 compares).
  static constexpr std::size_t kLinearKeyCheck = 16;

  bool atEnd() const { return pos_ >= text_.size(); }

  void skipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') break;
      ++pos_;
    }
  }

  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& out, int depth) {
    if (atEnd() || depth > JsonValue::kMaxDepth) return false;
    char c = text_[pos_];
    if (c == '{') return object(out, depth);
    if (c == '[') return array(out, depth);
    if (c == '"') {
      out.kind_ = JsonValue::Kind::String;
      return string(out.text_);
    }
    if (c == 't' || c == 'f') {
      out.kind_ = JsonValue::Kind::Bool;
      out.text_ = c == 't' ? "true" : "false";
      return literal(out.text_);
    }
    if (c == 'n') return literal("null");
    return number(out);
  }

  bool digits() {
    std::size_t start = pos_;
    while (!atEnd() && text_[pos_] >= '0' && text_[pos_] <= '9') ++pos_;
    return pos_ > start;
  }

  // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
  bool number(JsonValue& out) {
    std::size_t start = pos_;
    if (!atEnd() && text_[pos_] == '-') ++pos_;
    if (atEnd()) return false;
    if (text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      return false;
    }
    if (!atEnd() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return false;
    }
    if (!atEnd() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!atEnd() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return false;
    }
    out.kind_ = JsonValue::Kind::Number;
    out.text_.assign(text_.substr(start, pos_ - start));
    return true;
  }

  static void appendUtf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool hex4(char32_t& cp) {
    if (pos_ + 4 > text_.size()) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      cp <<= 4;
      if (c >= '0' && c <= '9')
        cp |= static_cast<char32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        cp |= static_cast<char32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        cp |= static_cast<char32_t>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }

  // \uXXXX (the backslash and u already read), a surrogate pair as one code point; a lone
  // surrogate is refused (it has no UTF-8 form).
  bool unicodeEscape(std::string& out) {
    char32_t cp;
    if (!hex4(cp)) return false;
    if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
    if (cp >= 0xD800 && cp <= 0xDBFF) {
      if (text_.substr(pos_, 2) != "\\u") return false;
      pos_ += 2;
      char32_t low;
      if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
      cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
    }
    appendUtf8(out, cp);
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    for (;;) {
      // Copy the run of plain ASCII up to the next quote, backslash, control or non-ASCII
      // byte in one go: list replies are mostly that.
      std::size_t stop = pos_;
      while (stop < text_.size()) {
        auto c = static_cast<unsigned char>(text_[stop]);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++stop;
      }
      out.append(text_.data() + pos_, stop - pos_);
      pos_ = stop;
      if (atEnd()) return false;
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c < 0x20) return false;  // RFC 8259: control characters only escaped
      if (c >= 0x80) {
        Utf8Step step = utf8Step(text_, pos_);
        if (!step.valid) return false;
        out.append(text_.data() + pos_, step.length);
        pos_ += step.length;
        continue;
      }
      ++pos_;  // the backslash
      if (atEnd()) return false;
      char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u':
          if (!unicodeEscape(out)) return false;
          break;
        default:
          return false;
      }
    }
  }

  bool array(JsonValue& out, int depth) {
    out.kind_ = JsonValue::Kind::Array;
    ++pos_;
    skipSpace();
    if (!atEnd() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      out.items_.emplace_back();
      skipSpace();
      if (!value(out.items_.back(), depth + 1)) return false;
      skipSpace();
      if (atEnd()) return false;
      char c = text_[pos_++];
      if (c == ']') return true;
      if (c != ',') return false;
    }
  }

  static bool uniqueKeys(const std::vector<std::pair<std::string, JsonValue>>& members) {
    if (members.size() <= kLinearKeyCheck) {
      for (std::size_t i = 1; i < members.size(); ++i) {
        for (std::size_t j = 0; j < i; ++j) {
          if (members[i].first == members[j].first) return false;
        }
      }
      return true;
    }
    std::vector<std::string_view> keys;
    keys.reserve(members.size());
    for (const auto& member : members) keys.emplace_back(member.first);
    std::sort(keys.begin(), keys.end());
    return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
  }

  bool object(JsonValue& out, int depth) {
    out.kind_ = JsonValue::Kind::Object;
    out.members_.reserve(8);  // the API's objects have a handful of fields
    ++pos_;
    skipSpace();
    if (!atEnd() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skipSpace();
      if (atEnd() || text_[pos_] != '"') return false;
      out.members_.emplace_back();
      if (!string(out.members_.back().first)) return false;
      skipSpace();
      if (atEnd() || text_[pos_++] != ':') return false;
      skipSpace();
      if (!value(out.members_.back().second, depth + 1)) return false;
      skipSpace();
      if (atEnd()) return false;
      char c = text_[pos_++];
      if (c == '}') return uniqueKeys(out.members_);
      if (c != ',') return false;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

Result<JsonValue> JsonValue::parse(std::string_view text) {
  if (text.size() > kMaxBytes) return Error(ErrorCode::Internal, "JSON document too large");
  JsonValue root;
  JsonValueParser parser(text);
  if (!parser.document(root)) return Error(ErrorCode::Internal, "not valid JSON");
  return root;
}

const JsonValue& JsonValue::operator[](std::string_view name) const {
  static const JsonValue kNull;
  for (const auto& [key, value] : members_) {
    if (key == name) return value;
  }
  return kNull;
}

bool JsonValue::has(std::string_view name) const {
  for (const auto& member : members_) {
    if (member.first == name) return true;
  }
  return false;
}

JsonValue JsonValue::take(std::string_view name) {
  for (auto& [key, value] : members_) {
    if (key == name) return std::exchange(value, JsonValue());
  }
  return JsonValue();
}

std::optional<std::int64_t> JsonValue::integer() const {
  if (kind_ != Kind::Number) return std::nullopt;
  std::int64_t value = 0;
  const char* end = text_.data() + text_.size();
  auto [ptr, ec] = std::from_chars(text_.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

}  // namespace wpe
