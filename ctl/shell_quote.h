#pragma once
// shellQuote: a value as one sh word that `eval` turns back into exactly those bytes. Used by
// `wpectl token --format env`, whose output is meant for `eval "$(wpectl token --format env)"`.

#include <string>
#include <string_view>

namespace wpe::ctl {

// 'value' with every ' written as '\'' — inside single quotes sh interprets nothing ($, `,
// \, newlines all stay literal), so this is the one quoting that needs no other escapes.
std::string shellQuote(std::string_view value);

}  // namespace wpe::ctl
