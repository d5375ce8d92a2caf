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

// Walks the members of the one top-level object the scanner stands at, through to the end of
// the text. onMember(name) is called with the scanner at the member's value and must consume
// it (returning false when it cannot). False when the text is not one object, or when a member
// name repeats: RFC 8259 leaves duplicate names to the reader (POCO keeps the last, a first-match
// slicer the first), so a page that has them is refused rather than read two ways. Names are
// compared as sent (an escaped spelling is another name to both readers here).
template <typename OnMember>
bool walkObject(Scanner& scan, OnMember onMember) {
  if (!scan.consume('{')) return false;
  if (!scan.consume('}')) {
    std::set<std::string_view> seen;
    do {
      std::string_view name;
      if (!scan.string(name) || !scan.consume(':')) return false;
      if (!seen.insert(name).second) return false;
      if (!onMember(name)) return false;
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
