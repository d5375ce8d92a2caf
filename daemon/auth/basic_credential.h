#pragma once
// BasicCredential: what the keyring holds for a `basic` profile — ONE JSON secret value
// {"user","password"}. The user id is not secret, but it is kept in the same value as the
// password so a restart restores both from the keyring alone.
// The JSON text only ever lives inside a Secret; fromJson never throws and its error never
// contains the blob or any part of it. A value type; not thread-safe by itself.

#include <string>

#include "common/result.h"
#include "common/secret.h"

namespace wpe {

struct BasicCredential {
  std::string user;  // the API user id
  Secret password;

  Secret toJson() const;
  // Internal ("the stored Basic credential is unreadable; …") when the blob is not a JSON
  // object with both fields.
  static Result<BasicCredential> fromJson(const Secret& json);
};

}  // namespace wpe
