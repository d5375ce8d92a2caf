#pragma once
// Table: wpectl's human list output. Columns are as wide as their widest cell; when the
// whole line does not fit `width` display columns, the widest columns shrink (never below
// their header) and long cells end in "…". Cells are shown through escapeForTerminal
// (controls, bidi controls and invalid UTF-8 visibly escaped); headers are ours, kept as given.
// Widths count UTF-8 code points, and truncation never splits a multibyte character. Not
// thread-safe; a plain value.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace wpe::ctl {

class Table {
 public:
  explicit Table(std::vector<std::string> headers);

  // Missing cells render empty; extra cells are ignored.
  void addRow(std::vector<std::string> cells);
  std::size_t rowCount() const { return rows_.size(); }

  // Header line plus one line per row, each ending in "\n", none wider than `width`
  // (unless the headers alone are wider). Cells are separated by two spaces; the last
  // column has no trailing padding.
  std::string render(std::size_t width) const;

  // Display width of UTF-8 text: the number of code points (control bytes count as one).
  static std::size_t displayWidth(std::string_view utf8);
  // `utf8` cut to at most `width` columns, ending in "…" when something was cut.
  static std::string truncate(std::string_view utf8, std::size_t width);
  // The terminal's column count for `fd` (TIOCGWINSZ), or `fallback` when it is no terminal.
  static std::size_t terminalWidth(int fd, std::size_t fallback = 100);

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace wpe::ctl
