#include "daemon/audit/audit_log.h"

#include <algorithm>
#include <iterator>

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
      options_(options),
      anonymous_(std::make_shared<AuditSlot>(PeerIdentity{}, options.maxPending)) {
  slots_.push_back(anonymous_);
}

AuditLog::~AuditLog() { stop(); }

void AuditLog::start() {
  {
    LockGuard write(writeMutex_);
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
    LockGuard lock(stopMutex_);
    stopping_ = true;
  }
  wake_.notifyAll();
  if (writer_.joinable()) writer_.join();
}

void AuditLog::record(ConnectionPeer* peer, std::string_view profile, std::string_view method,
                      std::string_view path, int status) {
  AuditSlot* slot = anonymous_.get();
  if (peer != nullptr) {
    if (!peer->audit) {
      // Once per connection, on its own thread: read /proc, register the slot.
      peer->audit =
          std::make_shared<AuditSlot>(resolver_.resolve(peer->pid, peer->uid), options_.maxPending);
      LockGuard lock(slotsMutex_);
      slots_.push_back(peer->audit);
    }
    slot = peer->audit.get();
  }
  if (!slot->add(clock_.now(), profile, method, path.substr(0, kMaxPath), status)) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
  }
  // The first call since the last flush wakes the writer. The plain load first: at tens of
  // thousands of calls a second the flag is read, not written, by every serving thread.
  if (!pending_.load(std::memory_order_acquire) &&
      !pending_.exchange(true, std::memory_order_acq_rel)) {
    // Taking the writer's lock orders this against its check of pending_: it is either
    // about to read true or already waiting and gets the notify.
    { LockGuard lock(stopMutex_); }
    wake_.notifyAll();
  }
}

void AuditLog::run() {
  LockGuard lock(stopMutex_);
  while (!stopping_) {
    // Asleep while nothing was recorded: an idle daemon does not wake every second (issue
    // 10), only once per idlePruneInterval to prune, so no record outlives retention by more
    // than that. Then the calls of one flushInterval are gathered into one write, with a
    // prune every pruneInterval.
    auto idlePrune = std::chrono::steady_clock::now() + options_.idlePruneInterval;
    while (!stopping_ && !pending_.load(std::memory_order_acquire)) {
      if (store_ == nullptr) {
        wake_.wait(stopMutex_);
        continue;
      }
      if (wake_.waitUntil(stopMutex_, idlePrune)) continue;  // woken: look again
      lock.unlock();
      {
        LockGuard write(writeMutex_);
        pruneLocked();
      }
      lock.lock();
      idlePrune = std::chrono::steady_clock::now() + options_.idlePruneInterval;
    }
    const auto deadline = std::chrono::steady_clock::now() + options_.flushInterval;
    while (!stopping_ && wake_.waitUntil(stopMutex_, deadline)) {
    }
    // Cleared before the take: a call recorded from here on wakes the next round.
    pending_.store(false, std::memory_order_release);
    lock.unlock();
    {
      LockGuard write(writeMutex_);
      flushLocked();
      if (store_ && std::chrono::steady_clock::now() >= nextPrune_) pruneLocked();
    }
    lock.lock();
  }
  lock.unlock();
  LockGuard write(writeMutex_);
  flushLocked();  // the last calls before the stop
}

void AuditLog::flush() {
  LockGuard write(writeMutex_);
  flushLocked();
}

void AuditLog::flushLocked() {
  std::vector<std::shared_ptr<AuditSlot>> slots;
  {
    LockGuard lock(slotsMutex_);
    slots = slots_;
  }
  std::vector<AuditRecord> records;
  std::vector<const AuditSlot*> finished;
  for (const auto& slot : slots) {
    // Closed before the take: nothing can be added after it, so this take is its last.
    if (slot->closed()) finished.push_back(slot.get());
    auto taken = slot->take();
    std::move(taken.begin(), taken.end(), std::back_inserter(records));
  }
  if (!finished.empty()) {
    LockGuard lock(slotsMutex_);
    slots_.erase(std::remove_if(slots_.begin(), slots_.end(),
                                [&finished](const std::shared_ptr<AuditSlot>& s) {
                                  return std::find(finished.begin(), finished.end(), s.get()) !=
                                         finished.end();
                                }),
                 slots_.end());
  }
  if (records.empty()) return;
  // Slot by slot is not time order: the trail reads oldest first.
  std::stable_sort(records.begin(), records.end(),
                   [](const AuditRecord& a, const AuditRecord& b) { return a.time < b.time; });
  for (const auto& r : records) noteFirstUse(r);
  if (!store_) return;
  if (auto written = store_->append(records); !written) {
    std::uint64_t lost = 0;
    for (const auto& r : records) lost += static_cast<std::uint64_t>(r.count);
    dropped_.fetch_add(lost, std::memory_order_relaxed);
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
  logger_.information(
      "profile %s: first use by %s (%s)", escapeForLog(r.profile, 64), escapeForLog(r.peer.exe),
      r.peer.unit.empty() ? std::string("no systemd unit") : "unit " + escapeForLog(r.peer.unit));
}

Result<AuditPage> AuditLog::read(const AuditQuery& query) {
  if (!store_) return Error(ErrorCode::Unavailable, unavailableReason_);
  LockGuard write(writeMutex_);
  flushLocked();
  auto records = store_->query(query);
  if (!records) return records.error();
  return AuditPage{std::move(records.value()), dropped()};
}

}  // namespace wpe
