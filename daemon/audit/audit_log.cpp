#include "daemon/audit/audit_log.h"

#include <map>
#include <tuple>

#include "common/log_escape.h"
#include "daemon/audit/connection_peer.h"

namespace wpe {
namespace {

// 512 bytes: enough for any API path; a longer one is cut rather than stored whole.
constexpr std::size_t kMaxPath = 512;
// 10,000: the first-use memory stays small even when paths of many programs come and go.
constexpr std::size_t kMaxKnownUses = 10000;

}  // namespace

AuditLog::AuditLog(std::unique_ptr<AuditStore> store, std::string unavailableReason,
                   const PeerResolver& resolver, const Clock& clock, Poco::Logger& logger,
                   Options options)
    : store_(std::move(store)),
      unavailableReason_(std::move(unavailableReason)),
      resolver_(resolver),
      clock_(clock),
      logger_(logger),
      options_(options) {
  pending_.reserve(options_.batchSize);
}

AuditLog::~AuditLog() { stop(); }

void AuditLog::start() {
  {
    std::lock_guard write(writeMutex_);
    if (store_) {
      auto known = store_->knownUses(kMaxKnownUses);
      if (known) {
        knownUses_.insert(known->begin(), known->end());
      } else {
        logger_.warning("%s", known.error().message);
      }
      pruneLocked();
    }
  }
  writer_ = std::thread([this] { run(); });
}

void AuditLog::stop() {
  {
    std::lock_guard lock(queueMutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void AuditLog::record(ConnectionPeer* peer, std::string_view profile, std::string_view method,
                      std::string_view path, int status) {
  std::shared_ptr<const PeerIdentity> identity;
  if (peer != nullptr) {
    // Once per connection, on its own thread (ConnectionPeer is not shared).
    if (!peer->identity) {
      peer->identity = std::make_shared<const PeerIdentity>(resolver_.resolve(peer->pid, peer->uid));
    }
    identity = peer->identity;
  }
  Call call{clock_.now(), std::move(identity), std::string(profile), std::string(method),
            std::string(path.substr(0, kMaxPath)), status};
  bool full;
  {
    std::lock_guard lock(queueMutex_);
    full = pending_.size() >= options_.maxPending;
    if (!full) pending_.push_back(std::move(call));
    if (full || pending_.size() != options_.batchSize) {
      if (full) dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
  }
  wake_.notify_one();  // exactly one wake per batch: the writer takes it from here
}

void AuditLog::run() {
  std::unique_lock lock(queueMutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.flushInterval,
                   [this] { return stopping_ || pending_.size() >= options_.batchSize; });
    lock.unlock();
    {
      std::lock_guard write(writeMutex_);
      flushLocked();
      if (store_ && std::chrono::steady_clock::now() >= nextPrune_) pruneLocked();
    }
    lock.lock();
  }
  lock.unlock();
  std::lock_guard write(writeMutex_);
  flushLocked();  // the last calls before the stop
}

void AuditLog::flush() {
  std::lock_guard write(writeMutex_);
  flushLocked();
}

void AuditLog::flushLocked() {
  std::vector<Call> calls;
  {
    std::lock_guard lock(queueMutex_);
    calls.swap(pending_);
    pending_.reserve(options_.batchSize);
  }
  if (calls.empty()) return;
  // Merge identical calls of one connection (same identity object) into one record.
  using Key = std::tuple<const PeerIdentity*, std::string_view, std::string_view, std::string_view,
                         int>;
  std::map<Key, std::size_t> index;
  std::vector<AuditRecord> records;
  static const PeerIdentity kUnknown;
  for (const Call& call : calls) {
    Key key{call.peer.get(), call.profile, call.method, call.path, call.status};
    auto [it, fresh] = index.try_emplace(key, records.size());
    if (!fresh) {
      AuditRecord& merged = records[it->second];
      merged.count += 1;
      merged.lastTime = call.time;
      continue;
    }
    AuditRecord r;
    r.time = r.lastTime = call.time;
    r.profile = call.profile;
    r.method = call.method;
    r.path = call.path;
    r.status = call.status;
    r.peer = call.peer ? *call.peer : kUnknown;
    records.push_back(std::move(r));
  }
  for (const auto& r : records) noteFirstUse(r);
  if (!store_) return;
  if (auto written = store_->append(records); !written) {
    dropped_.fetch_add(calls.size(), std::memory_order_relaxed);
    if (!writeFailureLogged_) {
      writeFailureLogged_ = true;  // once: a full disk would otherwise log every second
      logger_.warning("%s; calls not recorded are counted as dropped",
                      escapeForLog(written.error().message));
    }
  } else if (writeFailureLogged_) {
    writeFailureLogged_ = false;
    logger_.information("the audit trail is written again");
  }
}

void AuditLog::pruneLocked() {
  nextPrune_ = std::chrono::steady_clock::now() + options_.pruneInterval;
  auto pruned = store_->prune(clock_.now() - options_.retention, options_.maxRows);
  if (!pruned) {
    logger_.warning("%s", escapeForLog(pruned.error().message));
  } else if (*pruned > 0 && logger_.debug()) {
    logger_.debug("audit trail: pruned %s records", std::to_string(*pruned));
  }
}

void AuditLog::noteFirstUse(const AuditRecord& r) {
  if (r.peer.exe.empty() || knownUses_.size() >= kMaxKnownUses) return;
  if (!knownUses_.emplace(r.profile, r.peer.exe).second) return;
  logger_.information("profile %s: first use by %s (%s)", escapeForLog(r.profile, 64),
                      escapeForLog(r.peer.exe),
                      r.peer.unit.empty() ? std::string("no systemd unit")
                                          : "unit " + escapeForLog(r.peer.unit));
}

Result<AuditPage> AuditLog::read(const AuditQuery& query) {
  if (!store_) return Error(ErrorCode::Unavailable, unavailableReason_);
  std::lock_guard write(writeMutex_);
  flushLocked();
  auto records = store_->query(query);
  if (!records) return records.error();
  return AuditPage{std::move(records.value()), dropped()};
}

}  // namespace wpe
