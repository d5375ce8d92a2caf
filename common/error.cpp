#include "common/error.h"

#include <array>
#include <utility>

namespace wpe {
namespace {

struct CodeInfo {
  ErrorCode code;
  std::string_view name;
  int status;
};

constexpr std::array<CodeInfo, 19> kCodes{{
    {ErrorCode::BadRequest, "bad_request", 400},
    {ErrorCode::NotFound, "not_found", 404},
    {ErrorCode::MethodNotAllowed, "method_not_allowed", 405},
    {ErrorCode::Conflict, "conflict", 409},
    {ErrorCode::RequestTimeout, "request_timeout", 408},
    {ErrorCode::PayloadTooLarge, "payload_too_large", 413},
    {ErrorCode::UriTooLong, "uri_too_long", 414},
    {ErrorCode::HeadersTooLarge, "headers_too_large", 431},
    {ErrorCode::LoginRequired, "login_required", 401},
    {ErrorCode::KeyringUnavailable, "keyring_unavailable", 503},
    {ErrorCode::KeyringLocked, "keyring_locked", 503},
    {ErrorCode::UpstreamUnreachable, "upstream_unreachable", 502},
    {ErrorCode::UpstreamError, "upstream_error", 502},
    {ErrorCode::RateLimited, "rate_limited", 429},
    {ErrorCode::Unavailable, "unavailable", 503},
    {ErrorCode::ConfigError, "config_error", 503},
    {ErrorCode::CacheUnavailable, "cache_unavailable", 503},
    {ErrorCode::CacheFull, "cache_full", 507},
    {ErrorCode::Internal, "internal", 500},
}};

const CodeInfo& infoFor(ErrorCode code) {
  for (const auto& info : kCodes) {
    if (info.code == code) return info;
  }
  return kCodes.back();
}

}  // namespace

std::string_view errorCodeName(ErrorCode code) { return infoFor(code).name; }

ErrorCode errorCodeFromName(std::string_view name) {
  for (const auto& info : kCodes) {
    if (info.name == name) return info.code;
  }
  return ErrorCode::Internal;
}

int httpStatusFor(ErrorCode code) { return infoFor(code).status; }

}  // namespace wpe
