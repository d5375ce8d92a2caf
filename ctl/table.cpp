#include "ctl/table.h"

#include <sys/ioctl.h>
#include <unistd.h>

#include <algorithm>

#include "common/terminal_escape.h"

namespace wpe::ctl {
namespace {

constexpr std::size_t kGap = 2;
constexpr std::string_view kEllipsis = "\xE2\x80\xA6";  // "…"

bool isContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

Table::Table(std::vector<std::string> headers) : headers_(std::move(headers)) {}

void Table::addRow(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  // Cells are API text: escaped before the widths are measured, so columns line up with
  // what the terminal shows (tabs and newlines included: they would break the layout).
  for (auto& cell : cells) cell = escapeForTerminal(cell);
  rows_.push_back(std::move(cells));
}

std::size_t Table::displayWidth(std::string_view utf8) {
  std::size_t width = 0;
  for (unsigned char c : utf8) {
    if (!isContinuation(c)) ++width;
  }
  return width;
}

std::string Table::truncate(std::string_view utf8, std::size_t width) {
  if (displayWidth(utf8) <= width) return std::string(utf8);
  if (width == 0) return {};
  // Keep width-1 code points, then the ellipsis.
  std::size_t kept = 0, pos = 0;
  while (pos < utf8.size()) {
    if (!isContinuation(static_cast<unsigned char>(utf8[pos]))) {
      if (kept == width - 1) break;
      ++kept;
    }
    ++pos;
  }
  return std::string(utf8.substr(0, pos)) + std::string(kEllipsis);
}

std::size_t Table::terminalWidth(int fd, std::size_t fallback) {
  winsize size{};
  if (::isatty(fd) && ::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  return fallback;
}

std::string Table::render(std::size_t width) const {
  const std::size_t n = headers_.size();
  if (n == 0) return {};
  std::vector<std::size_t> widths(n), minimum(n);
  for (std::size_t c = 0; c < n; ++c) {
    minimum[c] = std::max<std::size_t>(displayWidth(headers_[c]), 1);
    widths[c] = minimum[c];
    for (const auto& row : rows_) widths[c] = std::max(widths[c], displayWidth(row[c]));
  }
  std::size_t total = kGap * (n - 1);
  for (auto w : widths) total += w;
  // Shrink the widest shrinkable column one step at a time: long columns give way first,
  // short ones (ids, environments) stay whole as long as possible.
  while (total > width) {
    std::size_t widest = n;
    for (std::size_t c = 0; c < n; ++c) {
      if (widths[c] > minimum[c] && (widest == n || widths[c] > widths[widest])) widest = c;
    }
    if (widest == n) break;
    std::size_t step = std::min(total - width, widths[widest] - minimum[widest]);
    // Take at most what brings it level with the next widest, so the shrink is shared.
    std::size_t next = 0;
    for (std::size_t c = 0; c < n; ++c) {
      if (c != widest) next = std::max(next, widths[c]);
    }
    if (widths[widest] > next && widths[widest] - next < step)
      step = std::max<std::size_t>(widths[widest] - next, 1);
    else if (widths[widest] <= next)
      step = 1;
    widths[widest] -= step;
    total -= step;
  }
  std::string out;
  auto line = [&](const std::vector<std::string>& cells) {
    for (std::size_t c = 0; c < n; ++c) {
      std::string cell = truncate(cells[c], widths[c]);
      out += cell;
      if (c + 1 < n) out.append(widths[c] - displayWidth(cell) + kGap, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    out += '\n';
  };
  line(headers_);
  for (const auto& row : rows_) line(row);
  return out;
}

}  // namespace wpe::ctl
