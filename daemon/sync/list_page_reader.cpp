#include "daemon/sync/list_page_reader.h"

#include <locale.h>

#include <cmath>
#include <cstdlib>
#include <set>

#include "common/utf8_scan.h"

namespace wpe {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool isDigit(char c) { return c >= '0' && c <= '9'; }

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Four hex digits at text (at least 4 bytes), or -1.
long hex4(const char* text) {
  long value = 0;
  for (int i = 0; i < 4; ++i) {
    const int digit = hexDigit(text[i]);
    if (digit < 0) return -1;
    value = value * 16 + digit;
  }
  return value;
}

void appendUtf8(std::string& out, char32_t cp) {
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

// The value of a string's contents that Reader::string() has already validated.
void decodeValidated(std::string_view raw, std::string& out) {
  out.clear();
  std::size_t plain = 0;
  for (std::size_t i = raw.find('\\'); i != std::string_view::npos; i = raw.find('\\', plain)) {
    out.append(raw.substr(plain, i - plain));
    const char e = raw[i + 1];
    plain = i + 2;
    switch (e) {
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
        char32_t cp = static_cast<char32_t>(hex4(raw.data() + i + 2));
        plain = i + 6;
        if (cp >= 0xD800 && cp <= 0xDBFF) {  // paired: checked by string()
          const auto low = static_cast<char32_t>(hex4(raw.data() + i + 8));
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          plain = i + 12;
        }
        appendUtf8(out, cp);
        break;
      }
      default:
        out += e;  // '"', '\\', '/'
    }
  }
  out.append(raw.substr(plain));
}

// A cursor over the body. While a capture is on, every token's bytes are appended to it and
// the whitespace between tokens is not (the item's compact text, made in the same pass).
class Reader {
 public:
  explicit Reader(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  void skipSpace() {
    if (p_ < end_ && isSpace(*p_)) {
      if (capture_) capture_->append(mark_, p_);
      while (p_ < end_ && isSpace(*p_)) ++p_;
      mark_ = p_;
    }
  }
  bool consume(char c) {
    skipSpace();
    if (p_ < end_ && *p_ == c) {
      ++p_;
      return true;
    }
    return false;
  }
  bool peek(char c) {
    skipSpace();
    return p_ < end_ && *p_ == c;
  }
  bool atEnd() {
    skipSpace();
    return p_ == end_;
  }
  const char* position() const { return p_; }

  void beginCapture(std::string& out) {
    capture_ = &out;
    mark_ = p_;
  }
  void endCapture() {
    capture_->append(mark_, p_);
    capture_ = nullptr;
  }

  // A string token; raw (may be null) gets its contents as sent, escapes undecoded.
  bool string(std::string_view* raw) {
    skipSpace();
    if (p_ == end_ || *p_ != '"') return false;
    const char* start = ++p_;
    while (true) {
      while (p_ < end_) {  // the common case: printable ASCII
        const auto c = static_cast<unsigned char>(*p_);
        if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) break;
        ++p_;
      }
      if (p_ == end_) return false;
      const auto c = static_cast<unsigned char>(*p_);
      if (c == '"') break;
      if (c < 0x20) return false;  // RFC 8259: control characters are escaped
      if (c >= 0x80) {
        const Utf8Step step =
            utf8Step(std::string_view(p_, static_cast<std::size_t>(end_ - p_)), 0);
        if (!step.valid) return false;
        p_ += step.length;
        continue;
      }
      if (!escape()) return false;
    }
    if (raw) *raw = std::string_view(start, static_cast<std::size_t>(p_ - start));
    ++p_;
    return true;
  }

  // Any value, validated and skipped; `depth` is that of the container holding it.
  bool value(std::size_t depth) {
    skipSpace();
    if (p_ == end_) return false;
    switch (*p_) {
      case '"':
        return string(nullptr);
      case '{':
        return members(depth + 1, false, [&](std::string_view) { return value(depth + 1); });
      case '[':
        return elements(depth + 1, [&](std::size_t) { return value(depth + 1); });
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }

  // The object at p_ (peek('{') was true). onMember(name) is called with the reader at the
  // member's value and must consume it. decodeNames: names are passed decoded (valid only
  // until onMember reads a name of its own).
  template <typename OnMember>
  bool members(std::size_t depth, bool decodeNames, OnMember onMember) {
    if (depth > kMaxListPageDepth || !consume('{')) return false;
    if (consume('}')) return true;
    do {
      std::string_view name;
      if (!string(&name) || !consume(':')) return false;
      if (decodeNames && name.find('\\') != std::string_view::npos) {
        decodeValidated(name, nameScratch_);
        name = nameScratch_;
      }
      if (!onMember(name)) return false;
    } while (consume(','));
    return consume('}');
  }

  // The array at p_ (peek('[') was true); onElement(index) must consume the element.
  template <typename OnElement>
  bool elements(std::size_t depth, OnElement onElement) {
    if (depth > kMaxListPageDepth || !consume('[')) return false;
    if (consume(']')) return true;
    std::size_t index = 0;
    do {
      if (!onElement(index++)) return false;
    } while (consume(','));
    return consume(']');
  }

 private:
  // After a backslash inside a string.
  bool escape() {
    if (end_ - p_ < 2) return false;
    const char e = p_[1];
    p_ += 2;
    switch (e) {
      case '"':
      case '\\':
      case '/':
      case 'b':
      case 'f':
      case 'n':
      case 'r':
      case 't':
        return true;
      case 'u': {
        if (end_ - p_ < 4) return false;
        const long cp = hex4(p_);
        if (cp < 0) return false;
        p_ += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // a low surrogate alone
        if (cp < 0xD800 || cp > 0xDBFF) return true;
        // A high surrogate must be followed by an escaped low one.
        if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') return false;
        const long low = hex4(p_ + 2);
        if (low < 0xDC00 || low > 0xDFFF) return false;
        p_ += 6;
        return true;
      }
      default:
        return false;
    }
  }

  bool literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word) {
      return false;
    }
    p_ += word.size();
    return true;
  }

  // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?, and a value POCO could hold
  // (its parser refused the others): an integer within int64 (negative) or uint64, any other
  // number finite as a double.
  bool number() {
    const char* start = p_;
    if (!numberSyntax()) return false;
    const std::string_view text(start, static_cast<std::size_t>(p_ - start));
    if (text.find_first_of(".eE") == std::string_view::npos) {
      const bool negative = text[0] == '-';
      const std::string_view digits = text.substr(negative ? 1 : 0);
      const std::string_view most = negative ? "9223372036854775808" : "18446744073709551615";
      return digits.size() < most.size() || (digits.size() == most.size() && digits <= most);
    }
    static const locale_t cLocale = newlocale(LC_NUMERIC_MASK, "C", locale_t(0));
    const std::string copy(text);  // strtod wants a terminated string
    const double value = strtod_l(copy.c_str(), nullptr, cLocale);
    return std::isfinite(value);  // overflow gives ±HUGE_VAL; underflow (0, subnormal) is fine
  }

  bool numberSyntax() {
    if (p_ < end_ && *p_ == '-') ++p_;
    if (p_ == end_ || !isDigit(*p_)) return false;
    if (*p_++ != '0') {
      while (p_ < end_ && isDigit(*p_)) ++p_;
    }
    if (p_ < end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !isDigit(*p_)) return false;
      while (p_ < end_ && isDigit(*p_)) ++p_;
    }
    if (p_ < end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ < end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !isDigit(*p_)) return false;
      while (p_ < end_ && isDigit(*p_)) ++p_;
    }
    return true;
  }

  const char* p_;
  const char* const end_;
  std::string* capture_ = nullptr;
  const char* mark_ = nullptr;  // while capturing: the first byte not yet appended
  std::string nameScratch_;
};

// Reads the string value of a member into `out` (decoded); false if it is not a string
// (then consumed as any other value). Sets `ok` to false only on malformed text.
bool readStringMember(Reader& reader, std::size_t depth, std::string& out, bool& ok) {
  if (!reader.peek('"')) {
    ok = reader.value(depth);
    return false;
  }
  std::string_view raw;
  ok = reader.string(&raw);
  if (!ok) return false;
  if (raw.find('\\') == std::string_view::npos) {
    out.assign(raw);
  } else {
    decodeValidated(raw, out);
  }
  return true;
}

// One element of "results" (depth: the array's). Malformed text → false; an element that is
// well-formed but not a valid item records why in `problem` (the first one only) and the
// read goes on, so a malformed page is reported as such whatever its items hold.
bool readItem(Reader& reader, std::size_t index, std::size_t depth, ListPage& page,
              std::optional<std::string>& problem) {
  const auto refuse = [&](const std::string& why) {
    if (!problem) problem = "result " + std::to_string(index) + " " + why;
  };
  if (!reader.peek('{')) {
    refuse("is not an object");
    return reader.value(depth);
  }
  CacheItem item;
  bool hasId = false;
  unsigned seen = 0;  // bit per member read below: a repeat is refused
  const auto once = [&](unsigned bit, const char* name) {
    if (seen & bit) refuse(std::string("has \"") + name + "\" more than once");
    seen |= bit;
  };
  const auto nestedId = [&](std::string& target, const char* outer) {
    if (!reader.peek('{')) return reader.value(depth + 1);
    bool innerSeen = false;
    return reader.members(depth + 2, true, [&](std::string_view name) {
      if (name != "id") return reader.value(depth + 2);
      if (innerSeen) refuse(std::string("has \"id\" more than once in \"") + outer + "\"");
      innerSeen = true;
      bool ok;
      if (!readStringMember(reader, depth + 2, target, ok)) target.clear();
      return ok;
    });
  };
  reader.beginCapture(item.json);
  const bool wellFormed = reader.members(depth + 1, true, [&](std::string_view name) {
    bool ok = true;
    if (name == "id") {
      once(1, "id");
      hasId = readStringMember(reader, depth + 1, item.id, ok) && !item.id.empty();
    } else if (name == "name") {
      once(2, "name");
      if (!readStringMember(reader, depth + 1, item.name, ok)) item.name.clear();
    } else if (name == "account") {
      once(4, "account");
      ok = nestedId(item.accountId, "account");
    } else if (name == "site") {
      once(8, "site");
      ok = nestedId(item.siteId, "site");
    } else {
      ok = reader.value(depth + 1);
    }
    return ok;
  });
  reader.endCapture();
  if (!wellFormed) return false;
  if (!hasId) refuse("has no string id");
  if (problem) return true;  // the page is refused: keep no more items
  page.itemBytes += item.json.size();
  page.items.push_back(std::move(item));
  return true;
}

}  // namespace

Result<ListPage> readListPage(std::string_view body) {
  Reader reader(body);
  ListPage page;
  std::optional<std::string> problem;
  std::set<std::string, std::less<>> names;
  const bool wellFormed = reader.peek('{') && reader.members(1, true, [&](std::string_view name) {
    // RFC 8259 leaves repeated names to the reader; refused, so no reader here or in the fuzz
    // targets ever reads one page two ways. Compared decoded, as every JSON reader compares
    // them: "next\uc0d0" and "next\uc0D0" are one name (a fuzz finding, 2026-12-01).
    if (!names.emplace(name).second) return false;
    if (name == "results" && reader.peek('[')) {
      page.hasResults = true;
      return reader.elements(2,
                             [&](std::size_t i) { return readItem(reader, i, 2, page, problem); });
    }
    reader.skipSpace();  // to the value's first byte
    const char* start = reader.position();
    if (!reader.value(1)) return false;
    if (name == "count") page.count.emplace(start, reader.position());
    return true;
  }) && reader.atEnd();
  const auto refused = [](std::string why) { return Error(ErrorCode::BadRequest, std::move(why)); };
  if (!wellFormed) return refused("not one well-formed JSON object with distinct member names");
  if (!page.hasResults) return refused("no \"results\" array");
  if (!page.count) return refused("no integer \"count\"");
  if (problem) return refused(*problem);
  return page;
}

}  // namespace wpe
