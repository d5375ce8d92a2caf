#pragma once
// Text from outside (request paths, site names, upstream error_description) goes into logs
// and error messages only through escapeForLog: control characters and non-printable bytes
// become \xNN, and the result is capped so one hostile value cannot flood the journal
// (security.md rule 12).

#include <cstddef>
#include <string>
#include <string_view>

namespace wpe {

std::string escapeForLog(std::string_view text, std::size_t maxBytes = 200);

}  // namespace wpe
