#include "daemon/credentials/secret_service_store.h"

#include <Poco/Logger.h>
#include <libsecret/secret.h>
#include <sys/stat.h>

#include <cstdlib>
#include <exception>
#include <memory>
#include <optional>
#include <string>

#include "common/log_escape.h"

// Everything in this anonymous namespace runs on the GlibWorker thread only.
namespace wpe {

namespace {

constexpr const char* kNoBus =
    "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is unset); run wped inside your desktop "
    "session or set credential_store = memory";
constexpr const char* kNoService =
    "no Secret Service on the session bus; install and start gnome-keyring (or another Secret "
    "Service) or set credential_store = memory";
constexpr const char* kLocked =
    "the keyring is locked; unlock it (log in to the desktop, or `gnome-keyring-daemon "
    "--unlock`)";
constexpr const char* kNoDefault =
    "the Secret Service has no default keyring; create one (log in to the desktop once, or use "
    "seahorse) or set credential_store = memory";
constexpr const char* kReady = "secrets are stored in the Secret Service (default keyring)";

const SecretSchema* credentialSchema() {
  static const SecretSchema schema = [] {
    SecretSchema s{};
    s.name = "com.wpengine.wped.Credential";
    s.flags = SECRET_SCHEMA_NONE;
    s.attributes[0] = {"profile", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s.attributes[1] = {"kind", SECRET_SCHEMA_ATTRIBUTE_STRING};
    // The binding (CredentialBinding); items stored before it existed lack these, oauth items
    // stored before the revocation endpoint was part of it lack revoke_endpoint.
    s.attributes[2] = {"origin", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s.attributes[3] = {"token_endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s.attributes[4] = {"client_id", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s.attributes[5] = {"revoke_endpoint", SECRET_SCHEMA_ATTRIBUTE_STRING};
    s.attributes[6] = {nullptr, SECRET_SCHEMA_ATTRIBUTE_STRING};
    return s;
  }();
  return &schema;
}

struct GErrorFree {
  void operator()(GError* e) const { g_error_free(e); }
};
struct GObjectUnref {
  void operator()(gpointer o) const { g_object_unref(o); }
};
struct HashUnref {
  void operator()(GHashTable* t) const { g_hash_table_unref(t); }
};
struct ItemListFree {
  void operator()(GList* l) const { g_list_free_full(l, g_object_unref); }
};
using ErrorPtr = std::unique_ptr<GError, GErrorFree>;
template <typename T>
using ObjectPtr = std::unique_ptr<T, GObjectUnref>;
using HashPtr = std::unique_ptr<GHashTable, HashUnref>;
using ItemList = std::unique_ptr<GList, ItemListFree>;

// Attribute tables copy their keys and values so nothing points into the caller's strings.
// With a credential: its kind and the non-empty parts of its binding (never its secret).
HashPtr attributes(const std::string& profile, const StoredCredential* credential = nullptr) {
  HashPtr table(g_hash_table_new_full(g_str_hash, g_str_equal, g_free, g_free));
  g_hash_table_insert(table.get(), g_strdup("profile"), g_strdup(profile.c_str()));
  if (!credential) return table;
  auto put = [&table](const char* name, const std::string& value) {
    if (!value.empty()) g_hash_table_insert(table.get(), g_strdup(name), g_strdup(value.c_str()));
  };
  put("kind", authKindName(credential->kind));
  put("origin", credential->binding.origin);
  put("token_endpoint", credential->binding.tokenEndpoint);
  put("client_id", credential->binding.clientId);
  // Present even when empty: "" (no revoke_url configured) is a binding, unlike its absence.
  if (const auto& revoke = credential->binding.revokeEndpoint) {
    g_hash_table_insert(table.get(), g_strdup("revoke_endpoint"), g_strdup(revoke->c_str()));
  }
  return table;
}

std::optional<std::string> optionalAttribute(SecretItem* item, const char* name) {
  HashPtr attrs(secret_item_get_attributes(item));
  const auto* value = static_cast<const char*>(g_hash_table_lookup(attrs.get(), name));
  if (!value) return std::nullopt;
  return std::string(value);
}

std::string attribute(SecretItem* item, const char* name) {
  return optionalAttribute(item, name).value_or("");
}

CredentialBinding bindingOf(SecretItem* item) {
  return {attribute(item, "origin"), attribute(item, "token_endpoint"),
          attribute(item, "client_id"), optionalAttribute(item, "revoke_endpoint")};
}

// GLib messages name D-Bus paths and services, never our secrets; escaped all the same.
Error classify(const GError* e) {
  const std::string text = escapeForLog(e->message ? e->message : "");
  if (e->domain == G_DBUS_ERROR &&
      (e->code == G_DBUS_ERROR_SERVICE_UNKNOWN || e->code == G_DBUS_ERROR_NAME_HAS_NO_OWNER)) {
    secret_service_disconnect();  // retry from scratch once a service appears
    return {ErrorCode::KeyringUnavailable, kNoService};
  }
  if (e->domain == SECRET_ERROR && e->code == SECRET_ERROR_IS_LOCKED) {
    return {ErrorCode::KeyringLocked, kLocked};
  }
  if (e->domain == G_DBUS_ERROR && e->code == G_DBUS_ERROR_UNKNOWN_OBJECT) {
    return {ErrorCode::KeyringUnavailable, kNoDefault};
  }
  secret_service_disconnect();  // the bus or the service went away: reconnect next time
  if (e->domain == G_IO_ERROR && e->code == G_IO_ERROR_CANCELLED) {
    return {ErrorCode::KeyringUnavailable, "the Secret Service request was cancelled"};
  }
  return {ErrorCode::KeyringUnavailable, "the Secret Service failed: " + text};
}

// Whether GLib could find a session bus without autolaunching one: with DISPLAY set and no
// address, GLib would spawn dbus-launch — a private bus nobody's keyring is on.
bool sessionBusConfigured() {
  const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
  if (address && *address) return true;
  const char* runtime = std::getenv("XDG_RUNTIME_DIR");
  if (!runtime || !*runtime) return false;
  struct stat st {};
  const std::string socketPath = std::string(runtime) + "/bus";  // GLib's fallback address
  return ::stat(socketPath.c_str(), &st) == 0 && S_ISSOCK(st.st_mode);
}

// Connects to the session bus and the Secret Service. Also turns off GLib's default of
// raising SIGTERM in the whole process when the session bus connection closes.
Result<ObjectPtr<SecretService>> connectService(GCancellable* cancellable) {
  if (!sessionBusConfigured()) return Error(ErrorCode::KeyringUnavailable, kNoBus);
  GError* raw = nullptr;
  ObjectPtr<GDBusConnection> bus(g_bus_get_sync(G_BUS_TYPE_SESSION, cancellable, &raw));
  if (!bus) {
    ErrorPtr e(raw);
    const char* address = std::getenv("DBUS_SESSION_BUS_ADDRESS");
    if (!address || !*address) return Error(ErrorCode::KeyringUnavailable, kNoBus);
    return Error(ErrorCode::KeyringUnavailable,
                 "cannot connect to the D-Bus session bus (" + escapeForLog(e->message) +
                     "); run wped inside your desktop session or set credential_store = memory");
  }
  g_dbus_connection_set_exit_on_close(bus.get(), FALSE);
  if (g_dbus_connection_is_closed(bus.get())) secret_service_disconnect();
  ObjectPtr<SecretService> service(secret_service_get_sync(SECRET_SERVICE_NONE, cancellable, &raw));
  if (!service) return classify(ErrorPtr(raw).get());
  return service;
}

// The default collection's state, asked of the collection itself: a locked lookup looks
// exactly like "not found", so this runs before anything is reported missing.
Result<StoreStatus> diagnose(SecretService* service, GCancellable* cancellable) {
  GError* raw = nullptr;
  ObjectPtr<SecretCollection> collection(secret_collection_for_alias_sync(
      service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE, cancellable, &raw));
  if (raw) return classify(ErrorPtr(raw).get());
  if (!collection) return StoreStatus{StoreState::Unavailable, kNoDefault};
  if (secret_collection_get_locked(collection.get())) {
    return StoreStatus{StoreState::Locked, kLocked};
  }
  return StoreStatus{StoreState::Ready, kReady};
}

Result<StoreStatus> probeJob(GCancellable* cancellable) {
  auto service = connectService(cancellable);
  if (!service) return service.error();
  return diagnose(service->get(), cancellable);
}

// Fails unless the default collection is there and unlocked: storing into a locked one
// could otherwise end in an unlock prompt.
Result<ObjectPtr<SecretService>> readyService(GCancellable* cancellable) {
  auto service = connectService(cancellable);
  if (!service) return service.error();
  auto status = diagnose(service->get(), cancellable);
  if (!status) return status.error();
  switch (status->state) {
    case StoreState::Ready:
      return std::move(service).value();
    case StoreState::Locked:
      return Error(ErrorCode::KeyringLocked, kLocked);
    default:
      return Error(ErrorCode::KeyringUnavailable, status->detail);
  }
}

Result<ItemList> search(SecretService* service, const std::string& profile, SecretSearchFlags flags,
                        GCancellable* cancellable) {
  GError* raw = nullptr;
  HashPtr attrs = attributes(profile);
  ItemList items(secret_service_search_sync(
      service, credentialSchema(), attrs.get(),
      static_cast<SecretSearchFlags>(SECRET_SEARCH_ALL | flags), cancellable, &raw));
  if (raw) return classify(ErrorPtr(raw).get());
  return items;
}

Result<std::optional<StoredCredential>> loadJob(const std::string& profile,
                                                GCancellable* cancellable) {
  auto service = connectService(cancellable);
  if (!service) return service.error();
  auto items = search(service->get(), profile, SECRET_SEARCH_LOAD_SECRETS, cancellable);
  if (!items) return items.error();
  // Normally one item; two only if removing an old kind failed after a save — the newer wins.
  SecretItem* best = nullptr;
  bool sawLocked = false;
  for (GList* l = items->get(); l; l = l->next) {
    auto* item = static_cast<SecretItem*>(l->data);
    if (secret_item_get_locked(item)) {
      sawLocked = true;
      continue;
    }
    if (!best || secret_item_get_modified(item) > secret_item_get_modified(best)) best = item;
  }
  if (best) {
    SecretValue* value = secret_item_get_secret(best);
    if (!value) return Error(ErrorCode::KeyringUnavailable, "the keyring item has no secret");
    const std::string kindName = attribute(best, "kind");
    const auto kind = authKindFromName(kindName);
    if (!kind) {
      secret_value_unref(value);
      return Error(ErrorCode::LoginRequired,
                   "the keyring's item for profile " + escapeForLog(profile) +
                       " holds a credential of unknown kind '" + escapeForLog(kindName, 40) +
                       "' (not written by this wped); run `wpectl login --profile " +
                       escapeForLog(profile) + "` to replace it");
    }
    gsize length = 0;
    const gchar* bytes = secret_value_get(value, &length);
    StoredCredential found{*kind, Secret(std::string(bytes, length)), bindingOf(best)};
    secret_value_unref(value);
    return std::optional<StoredCredential>(std::move(found));
  }
  if (sawLocked) return Error(ErrorCode::KeyringLocked, kLocked);
  auto status = diagnose(service->get(), cancellable);
  if (!status) return status.error();
  if (status->state == StoreState::Locked) return Error(ErrorCode::KeyringLocked, kLocked);
  return std::optional<StoredCredential>();
}

// Returns a warning (empty when none) about an old item that could not be removed.
Result<std::string> saveJob(const std::string& profile, const StoredCredential& credential,
                            GCancellable* cancellable) {
  auto service = readyService(cancellable);
  if (!service) return service.error();
  GError* raw = nullptr;
  HashPtr attrs = attributes(profile, &credential);
  const std::string label = "wped: WP Engine credential (profile " + profile + ")";
  const std::string& bytes = credential.value.reveal();  // to the keyring, its one destination
  SecretValue* value =
      secret_value_new(bytes.data(), static_cast<gssize>(bytes.size()), "text/plain");
  // Same attributes → the service replaces the item in place.
  const gboolean stored =
      secret_service_store_sync(service->get(), credentialSchema(), attrs.get(),
                                SECRET_COLLECTION_DEFAULT, label.c_str(), value, cancellable, &raw);
  secret_value_unref(value);
  if (!stored) return classify(ErrorPtr(raw).get());
  // Only now that the new item exists may an item of another kind or binding go (a new login
  // for another host, or an item rewritten with its binding).
  auto items = search(service->get(), profile, SECRET_SEARCH_NONE, cancellable);
  if (!items) return "could not look for an old item to remove: " + items.error().message;
  std::string warning;
  for (GList* l = items->get(); l; l = l->next) {
    auto* item = static_cast<SecretItem*>(l->data);
    if (attribute(item, "kind") == authKindName(credential.kind) &&
        bindingOf(item) == credential.binding) {
      continue;
    }
    if (!secret_item_delete_sync(item, cancellable, &raw)) {
      warning = "could not remove the old item: " + classify(ErrorPtr(raw).get()).message;
      raw = nullptr;
    }
  }
  return warning;
}

Result<bool> eraseJob(const std::string& profile, GCancellable* cancellable) {
  auto service = connectService(cancellable);
  if (!service) return service.error();
  auto items = search(service->get(), profile, SECRET_SEARCH_NONE, cancellable);
  if (!items) return items.error();
  for (GList* l = items->get(); l; l = l->next) {
    auto* item = static_cast<SecretItem*>(l->data);
    // Deleting a locked item may prompt; report it instead.
    if (secret_item_get_locked(item)) return Error(ErrorCode::KeyringLocked, kLocked);
    GError* raw = nullptr;
    if (!secret_item_delete_sync(item, cancellable, &raw)) return classify(ErrorPtr(raw).get());
  }
  if (!items->get()) {
    // Nothing visible: make sure it is not a locked collection hiding the item.
    auto status = diagnose(service->get(), cancellable);
    if (!status) return status.error();
    if (status->state == StoreState::Locked) return Error(ErrorCode::KeyringLocked, kLocked);
  }
  return true;
}

std::string formatDeadline(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return std::to_string(d.count() / 1000) + " s";
  return std::to_string(d.count()) + " ms";
}

}  // namespace

SecretServiceStore::SecretServiceStore(Poco::Logger& logger, std::chrono::milliseconds deadline)
    : logger_(logger), worker_(deadline) {}

SecretServiceStore::~SecretServiceStore() { worker_.stop(); }

Status SecretServiceStore::start() { return worker_.start(); }

template <typename T, typename Fn>
Result<T> SecretServiceStore::call(Fn fn) {
  // The job may outlive this call (timeout), so its result lives in shared storage.
  auto slot = std::make_shared<std::optional<Result<T>>>();
  const auto outcome = worker_.run([slot, fn = std::move(fn)](GCancellable* c) {
    // An exception must not escape into the worker thread (std::terminate).
    try {
      slot->emplace(fn(c));
    } catch (const std::exception& e) {
      slot->emplace(Error(ErrorCode::Internal, std::string("keyring job failed: ") + e.what()));
    }
  });
  if (outcome != GlibWorker::Outcome::Done || !slot->has_value()) {
    Error e = workerError(outcome);
    noteError(e);
    return e;
  }
  Result<T> result = std::move(**slot);
  if (!result) noteError(result.error());
  return result;
}

Error SecretServiceStore::workerError(GlibWorker::Outcome outcome) const {
  const std::string late =
      "the Secret Service did not answer within " + formatDeadline(worker_.deadline());
  switch (outcome) {
    case GlibWorker::Outcome::TimedOut:
      return {ErrorCode::KeyringUnavailable, late};
    case GlibWorker::Outcome::Busy:
      return {ErrorCode::KeyringUnavailable, late + " (an earlier request is still pending)"};
    default:
      return {ErrorCode::KeyringUnavailable, "the keyring thread is not running"};
  }
}

void SecretServiceStore::noteError(const Error& error) {
  if (error.code == ErrorCode::KeyringLocked) {
    noteState(StoreState::Locked, error.message);
  } else if (error.code == ErrorCode::KeyringUnavailable) {
    noteState(StoreState::Unavailable, error.message);
  }
}

void SecretServiceStore::noteState(StoreState state, const std::string& detail) {
  LockGuard lock(stateMutex_);
  if (stateKnown_ && state == lastState_) return;
  stateKnown_ = true;
  lastState_ = state;
  const std::string line =
      std::string("credential store: ") + storeStateName(state) + ": " + detail;
  if (state == StoreState::Ready) {
    logger_.information(line);
  } else {
    logger_.warning(line);
  }
}

Result<std::optional<StoredCredential>> SecretServiceStore::load(const std::string& profile) {
  auto result = call<std::optional<StoredCredential>>(
      [profile](GCancellable* c) { return loadJob(profile, c); });
  // Only a found item proves the keyring ready: "not found" is also the answer when there is
  // no default collection at all (probe() tells that apart).
  if (result && result->has_value()) noteState(StoreState::Ready, kReady);
  return result;
}

Status SecretServiceStore::save(const std::string& profile, const StoredCredential& credential) {
  auto result = call<std::string>(
      [profile, credential](GCancellable* c) { return saveJob(profile, credential, c); });
  if (!result) return result.error();
  noteState(StoreState::Ready, kReady);
  if (!result->empty()) {
    logger_.warning("credential store: profile " + escapeForLog(profile) + ": " + *result);
  }
  return {};
}

Status SecretServiceStore::erase(const std::string& profile) {
  auto result = call<bool>([profile](GCancellable* c) { return eraseJob(profile, c); });
  if (!result) return result.error();
  noteState(StoreState::Ready, kReady);
  return {};
}

StoreStatus SecretServiceStore::probe() {
  auto result = call<StoreStatus>([](GCancellable* c) { return probeJob(c); });
  if (!result) {
    const StoreState state = result.error().code == ErrorCode::KeyringLocked
                                 ? StoreState::Locked
                                 : StoreState::Unavailable;
    return {state, result.error().message};
  }
  noteState(result->state, result->detail);
  return result.value();
}

}  // namespace wpe
