#pragma once
// splitWords: TEXT cut at each SEPARATOR, empty pieces dropped ("a  b" → {"a", "b"}). Used
// for $BROWSER entries (BrowserLauncher) and the words of a command's usage line
// (CompletionScript).

#include <string>
#include <vector>

namespace wpe::ctl {

inline std::vector<std::string> splitWords(const std::string& text, char separator = ' ') {
  std::vector<std::string> words;
  std::size_t start = 0;
  while ((start = text.find_first_not_of(separator, start)) != std::string::npos) {
    std::size_t end = text.find(separator, start);
    words.push_back(text.substr(start, end - start));
    start = end;
  }
  return words;
}

}  // namespace wpe::ctl
