#pragma once
// The reason phrase of an HTTP status for the status lines wped writes itself (the local API
// and the OAuth login listener); "Status" for a code without one here. Thread-safe.

namespace wpe {

const char* httpReasonPhrase(int status);

}  // namespace wpe
