#include <catch2/catch.hpp>
#include <sstream>

#include "ctl/relative_time.h"
#include "ctl/table.h"

using wpe::ctl::Table;

namespace {

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("Table: a table that fits is aligned in columns two spaces apart", "[ctl][table]") {
  Table table({"NAME", "ID"});
  table.addRow({"alpha", "1"});
  table.addRow({"b", "22"});
  auto out = lines(table.render(100));
  REQUIRE(out.size() == 3);
  CHECK(out[0] == "NAME   ID");
  CHECK(out[1] == "alpha  1");
  CHECK(out[2] == "b      22");
}

TEST_CASE("Table: wider than the terminal, its widest column shrinks with an ellipsis",
          "[ctl][table]") {
  Table table({"NAME", "ID", "INSTALLS"});
  table.addRow({"site", "0123456789", std::string(80, 'x')});
  for (std::size_t width : {40u, 25u, 30u}) {
    for (const auto& line : lines(table.render(width))) CHECK(Table::displayWidth(line) <= width);
  }
  auto out = lines(table.render(30));
  CHECK(out[1].rfind("site  0123456789  ", 0) == 0);  // the short columns stay whole
  CHECK(out[1].size() >= 3);
  CHECK(out[1].substr(out[1].size() - 3) == "\xE2\x80\xA6");
}

TEST_CASE("Table: columns never shrink below their header", "[ctl][table]") {
  Table table({"NAME", "ENVIRONMENT"});
  table.addRow({"a-very-long-install-name", "production"});
  auto out = lines(table.render(5));
  CHECK(out[0] == "NAME  ENVIRONMENT");
}

TEST_CASE("Table: truncation counts code points and never splits a UTF-8 character",
          "[ctl][table]") {
  std::string text = "h\xC3\xA9llo w\xC3\xB6rld \xE6\x97\xA5\xE6\x9C\xAC";  // "héllo wörld 日本"
  CHECK(Table::displayWidth(text) == 14);
  CHECK(Table::truncate(text, 14) == text);
  CHECK(Table::truncate(text, 2) == "h\xE2\x80\xA6");
  CHECK(Table::truncate(text, 3) == "h\xC3\xA9\xE2\x80\xA6");
  CHECK(Table::truncate(text, 14 - 1) == "h\xC3\xA9llo w\xC3\xB6rld \xE2\x80\xA6");
  CHECK(Table::truncate(text, 0).empty());
  Table table({"N"});
  table.addRow({"\xE6\x97\xA5\xE6\x9C\xAC\xE6\x97\xA5\xE6\x9C\xAC"});
  auto out = lines(table.render(3));
  CHECK(out[1] == "\xE6\x97\xA5\xE6\x9C\xAC\xE2\x80\xA6");
}

TEST_CASE("Table: a cell's newlines and tabs do not break the table", "[ctl][table]") {
  Table table({"A", "B"});
  table.addRow({"x\ny", "z\tw"});
  auto out = lines(table.render(100));
  REQUIRE(out.size() == 2);
  CHECK(out[1] == "x\\x0ay  z\\x09w");
}

TEST_CASE("Table: no terminal means 100 columns", "[ctl][table]") {
  CHECK(Table::terminalWidth(-1) == 100);
  CHECK(Table::terminalWidth(-1, 80) == 80);
}

TEST_CASE("RelativeTime: ages read like \"3 min ago\"", "[ctl][time]") {
  using std::chrono::seconds;
  CHECK(wpe::ctl::formatAge(seconds(-5)) == "just now");
  CHECK(wpe::ctl::formatAge(seconds(59)) == "just now");
  CHECK(wpe::ctl::formatAge(seconds(180)) == "3 min ago");
  CHECK(wpe::ctl::formatAge(seconds(3599)) == "59 min ago");
  CHECK(wpe::ctl::formatAge(seconds(7200)) == "2 h ago");
  CHECK(wpe::ctl::formatAge(seconds(86400)) == "1 day ago");
  CHECK(wpe::ctl::formatAge(seconds(3 * 86400 + 5)) == "3 days ago");
}

TEST_CASE("RelativeTime: RFC 3339 times parse to epoch seconds", "[ctl][time]") {
  using wpe::ctl::parseRfc3339Seconds;
  CHECK(parseRfc3339Seconds("1970-01-01T00:00:00Z") == 0);
  CHECK(parseRfc3339Seconds("2025-07-10T09:59:58.684Z") == 1752141598);
  CHECK(parseRfc3339Seconds("2025-07-10T11:59:58+02:00") == 1752141598);
  CHECK_FALSE(parseRfc3339Seconds(""));
  CHECK_FALSE(parseRfc3339Seconds("2025-07-10"));
  CHECK_FALSE(parseRfc3339Seconds("2025-07-10T09:59:58"));
  CHECK_FALSE(parseRfc3339Seconds("2025-13-10T09:59:58Z"));
}

TEST_CASE("Table: API text with terminal escapes is shown escaped and the columns still align",
          "[ctl][table]") {
  Table table({"NAME", "ID"});
  table.addRow({"evil\x1b]0;pwned\x07\xE2\x80\xAE", "s1"});
  table.addRow({"plain", "s2"});
  auto out = lines(table.render(100));
  REQUIRE(out.size() == 3);
  CHECK(out[1] == "evil\\x1b]0;pwned\\x07\\u202e  s1");
  CHECK(out[1].find("s1") == out[0].find("ID"));
  CHECK(out[2].find("s2") == out[0].find("ID"));
}
