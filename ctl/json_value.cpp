#include "ctl/json_value.h"

namespace wpe::ctl {

// The recursive-descent parser behind JsonValue::parse (a friend, so it can fill values in
// place without copies).
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
  static constexpr int kMaxDepth = 64;

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  bool value(JsonValue& out, int depth) {
    if (pos_ >= text_.size() || depth > kMaxDepth) return false;
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

  bool number(JsonValue& out) {
    std::size_t start = pos_;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
        ++pos_;
      } else {
        break;
      }
    }
    if (pos_ == start) return false;
    out.kind_ = JsonValue::Kind::Number;
    out.text_.assign(text_.substr(start, pos_ - start));
    return true;
  }

  static void appendUtf8(std::string& out, unsigned long cp) {
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

  bool hex4(unsigned long& cp) {
    if (pos_ + 4 > text_.size()) return false;
    cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      cp <<= 4;
      if (c >= '0' && c <= '9')
        cp |= static_cast<unsigned long>(c - '0');
      else if (c >= 'a' && c <= 'f')
        cp |= static_cast<unsigned long>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        cp |= static_cast<unsigned long>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }

  bool string(std::string& out) {
    ++pos_;  // the opening quote
    for (;;) {
      // Copy the run up to the next quote or backslash in one go.
      std::size_t stop = pos_;
      while (stop < text_.size() && text_[stop] != '"' && text_[stop] != '\\') ++stop;
      if (stop == text_.size()) return false;
      out.append(text_.data() + pos_, stop - pos_);
      pos_ = stop + 1;
      if (text_[stop] == '"') return true;
      if (pos_ >= text_.size()) return false;
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
        case 'u': {
          unsigned long cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            pos_ += 2;
            unsigned long low;
            if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          appendUtf8(out, cp);
          break;
        }
        default:
          return false;
      }
    }
  }

  bool array(JsonValue& out, int depth) {
    out.kind_ = JsonValue::Kind::Array;
    ++pos_;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return true;
    }
    for (;;) {
      out.items_.emplace_back();
      skipSpace();
      if (!value(out.items_.back(), depth + 1)) return false;
      skipSpace();
      if (pos_ >= text_.size()) return false;
      char c = text_[pos_++];
      if (c == ']') return true;
      if (c != ',') return false;
    }
  }

  bool object(JsonValue& out, int depth) {
    out.kind_ = JsonValue::Kind::Object;
    out.members_.reserve(8);  // the API's objects have a handful of fields
    ++pos_;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return true;
    }
    for (;;) {
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return false;
      out.members_.emplace_back();
      if (!string(out.members_.back().first)) return false;
      skipSpace();
      if (pos_ >= text_.size() || text_[pos_++] != ':') return false;
      skipSpace();
      if (!value(out.members_.back().second, depth + 1)) return false;
      skipSpace();
      if (pos_ >= text_.size()) return false;
      char c = text_[pos_++];
      if (c == '}') return true;
      if (c != ',') return false;
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

Result<JsonValue> JsonValue::parse(std::string_view text) {
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

}  // namespace wpe::ctl
