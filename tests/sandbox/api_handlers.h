#pragma once
// ApiHandlers: the /v1 endpoints of the WP Engine API that the daemon uses, in the real API's
// shapes: status, user, accounts, sites and installs (lists paginated, single GETs), and the
// writes the passthrough tests need (POST/PATCH/DELETE sites, POST/DELETE installs).
// Authentication is checked here (everything but GET /v1/status). Thread-safe; the DataSet
// and ApiAuthenticator must outlive it.

#include <string>

#include "tests/sandbox/api_authenticator.h"
#include "tests/sandbox/data_set.h"
#include "tests/sandbox/paging_quirks.h"
#include "tests/sandbox/reply.h"
#include "tests/sandbox/sandbox_request.h"

namespace wpe {

class ApiHandlers {
 public:
  // origin: "https://127.0.0.1:PORT", for absolute next/previous URLs.
  // paging (may be null): how the list endpoints bend their paging (PagingQuirks).
  ApiHandlers(DataSet& data, const ApiAuthenticator& authenticator, std::string origin,
              const PagingQuirks* paging = nullptr)
      : data_(data), authenticator_(authenticator), origin_(std::move(origin)), paging_(paging) {}

  Reply handle(const SandboxRequest& request);

 private:
  Reply list(const SandboxRequest& request, const std::string& collection);
  Reply sites(const SandboxRequest& request, const std::string& id);
  Reply installs(const SandboxRequest& request, const std::string& id);
  Reply createSite(const SandboxRequest& request);
  Reply renameSite(const SandboxRequest& request, const std::string& id);
  Reply createInstall(const SandboxRequest& request);

  DataSet& data_;
  const ApiAuthenticator& authenticator_;
  const std::string origin_;
  const PagingQuirks* paging_;
};

}  // namespace wpe
