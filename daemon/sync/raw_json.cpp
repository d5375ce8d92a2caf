#include "daemon/sync/raw_json.h"

#include <cctype>
#include <optional>
#include <set>

namespace wpe {
namespace {

class Scanner {
 public:
  explicit Scanner(std::string_view text) : s_(text) {}

  void skipSpace() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool consume(char c) {
    skipSpace();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool atEnd() {
    skipSpace();
    return pos_ >= s_.size();
  }
  bool peek(char c) {
    skipSpace();
    return pos_ < s_.size() && s_[pos_] == c;
  }
  // A string token starting at pos_ (a '"'); returns its raw contents.
  bool string(std::string_view& out) {
    if (!peek('"')) return false;
    const std::size_t start = ++pos_;
    while (pos_ < s_.size() && s_[pos_] != '"') pos_ += s_[pos_] == '\\' ? 2 : 1;
    if (pos_ >= s_.size()) return false;
    out = s_.substr(start, pos_ - start);
    ++pos_;
    return true;
  }
  // Skips one value; [start, end) is its text.
  bool value(std::size_t& start, std::size_t& end) {
    skipSpace();
    start = pos_;
    if (pos_ >= s_.size()) return false;
    const char first = s_[pos_];
    if (first == '"') {
      std::string_view ignored;
      if (!string(ignored)) return false;
      end = pos_;
      return true;
    }
    if (first == '{' || first == '[') {
      int depth = 0;
      while (pos_ < s_.size()) {
        const char c = s_[pos_];
        if (c == '"') {
          std::string_view ignored;
          if (!string(ignored)) return false;
          continue;
        }
        if (c == '{' || c == '[') {
          ++depth;
        } else if ((c == '}' || c == ']') && --depth == 0) {
          end = ++pos_;
          return true;
        }
        ++pos_;
      }
      return false;
    }
    while (pos_ < s_.size() && !endOfScalar()) ++pos_;  // number, true, false, null
    end = pos_;
    return end > start;
  }

 private:
  bool endOfScalar() const {
    const char c = s_[pos_];
    return c == ',' || c == '}' || c == ']' || std::isspace(static_cast<unsigned char>(c));
  }
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::string compact(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  bool inString = false;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (inString) {
      out += c;
      if (c == '\\' && i + 1 < raw.size())
        out += raw[++i];
      else if (c == '"')
        inString = false;
    } else if (c == '"') {
      inString = true;
      out += c;
    } else if (!std::isspace(static_cast<unsigned char>(c))) {
      out += c;
    }
  }
  return out;
}

// Reads an array the scanner stands at (its '[' not yet consumed) into its elements, each
// compacted; nullopt when it is not a well-formed array.
std::optional<std::vector<std::string>> readElements(Scanner& scan, std::string_view json) {
  if (!scan.consume('[')) return std::nullopt;
  std::vector<std::string> elements;
  if (scan.consume(']')) return elements;
  do {
    std::size_t start, end;
    if (!scan.value(start, end)) return std::nullopt;
    elements.push_back(compact(json.substr(start, end - start)));
  } while (scan.consume(','));
  if (!scan.consume(']')) return std::nullopt;
  return elements;
}

void appendUtf8(std::string& out, unsigned code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::optional<unsigned> hex4(std::string_view raw, std::size_t at) {
  if (at + 4 > raw.size()) return std::nullopt;
  unsigned value = 0;
  for (std::size_t i = at; i < at + 4; ++i) {
    const char c = raw[i];
    value <<= 4;
    if (c >= '0' && c <= '9') value |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f') value |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') value |= static_cast<unsigned>(c - 'A' + 10);
    else return std::nullopt;
  }
  return value;
}

// A member name as a JSON reader sees it: "r\u0065sults" is "results" (RFC 8259 §7), so two
// spellings of one name are one name here too. nullopt on a malformed escape. A lone
// surrogate is kept as its 3-byte form rather than refused: only equality matters here.
std::optional<std::string> decodeName(std::string_view raw) {
  if (raw.find('\\') == std::string_view::npos) return std::string(raw);
  std::string out;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\') {
      out += raw[i];
      continue;
    }
    if (++i >= raw.size()) return std::nullopt;
    switch (raw[i]) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '/': out += '/'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'u': {
        auto code = hex4(raw, i + 1);
        if (!code) return std::nullopt;
        i += 4;
        if (*code >= 0xD800 && *code < 0xDC00 && i + 2 < raw.size() && raw[i + 1] == '\\' &&
            raw[i + 2] == 'u') {
          auto low = hex4(raw, i + 3);
          if (low && *low >= 0xDC00 && *low < 0xE000) {
            *code = 0x10000 + ((*code - 0xD800) << 10) + (*low - 0xDC00);
            i += 6;
          }
        }
        appendUtf8(out, *code);
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

// Walks the members of the one top-level object the scanner stands at, through to the end of
// the text. onMember(name) is called with the scanner at the member's value and must consume
// it (returning false when it cannot). False when the text is not one object, or when a member
// name repeats: RFC 8259 leaves duplicate names to the reader (POCO keeps the last, a first-match
// slicer the first), so a page that has them is refused rather than read two ways. Names are
// compared decoded, as a JSON reader compares them.
template <typename OnMember>
bool walkObject(Scanner& scan, OnMember onMember) {
  if (!scan.consume('{')) return false;
  if (!scan.consume('}')) {
    std::set<std::string> seen;
    do {
      std::string_view raw;
      if (!scan.string(raw) || !scan.consume(':')) return false;
      auto name = decodeName(raw);
      if (!name || !seen.insert(*name).second) return false;
      if (!onMember(std::string_view(*name))) return false;
    } while (scan.consume(','));
    if (!scan.consume('}')) return false;
  }
  return scan.atEnd();
}

}  // namespace

Result<std::vector<std::string>> compactArrayElements(std::string_view json, std::string_view key) {
  const Error malformed(ErrorCode::BadRequest, "the response is not a JSON object with a \"" +
                                                   std::string(key) + "\" array");
  Scanner scan(json);
  std::optional<std::vector<std::string>> found;
  const bool wellFormed = walkObject(scan, [&](std::string_view name) {
    if (name == key) {
      found = readElements(scan, json);
      return found.has_value();
    }
    std::size_t start, end;
    return scan.value(start, end);
  });
  if (!wellFormed || !found) return malformed;
  return std::move(*found);
}

Result<ListPageSlices> sliceListPage(std::string_view json) {
  Scanner scan(json);
  ListPageSlices out;
  const bool wellFormed = walkObject(scan, [&](std::string_view name) {
    if (name == "results" && scan.peek('[')) {
      out.results = readElements(scan, json);
      return out.results.has_value();
    }
    std::size_t start, end;
    if (!scan.value(start, end)) return false;
    if (name == "count") out.count = std::string(json.substr(start, end - start));
    return true;
  });
  if (!wellFormed) {
    return Error(ErrorCode::BadRequest,
                 "the response is not one JSON object with distinct member names");
  }
  return out;
}

}  // namespace wpe
