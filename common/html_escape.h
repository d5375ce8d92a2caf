#pragma once
// htmlEscape: text placed in an HTML page (the OAuth loopback page, the sandbox's pages) with
// & < > " ' replaced by entities, so a hostile error_description cannot inject markup.

#include <string>
#include <string_view>

namespace wpe {

std::string htmlEscape(std::string_view text);

}  // namespace wpe
