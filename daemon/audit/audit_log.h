#pragma once
// AuditLog: the local audit trail (docs/security.md rule 21). Serving threads call record()
// after every token request and passthrough call; it adds the call to the connection's own
// AuditSlot (no I/O, no lock shared with other serving threads: at 60,000 token requests/s
// a synchronous row each, or even one shared queue lock, would be the bottleneck). One
// writer thread, woken by the first call since its last round, takes every slot's records
// `flushInterval` later (merged calls: count, first and last time), sorts them by time and
// writes them to the store in one transaction, and prunes records older than `retention` or
// beyond `maxRows` every `pruneInterval` with a flush, and every `idlePruneInterval` while no
// call arrives (so a record outlives `retention` by an hour at most, also in an idle daemon,
// for one wake-up an hour). A slot
// holding `maxPending` distinct records drops further new ones and counts them (dropped());
// read() reports the count.
//
// The first time an executable uses a profile's credential — per the trail on record, or
// since start when the trail is unavailable — one info line is logged:
//   profile P: first use by /usr/bin/curl (unit foo.service)
//
// read() flushes first, so a reader sees every call answered before it asked.
// With no store (the cache file could not be opened), record() still feeds the first-use
// log, and read() answers Unavailable with the reason.
//
// Lifecycle: construct, start() (loads the known executables, prunes, starts the thread),
// stop() (joins after a last flush; also run by the destructor). record() is safe from any
// thread at any time (before start or after stop it only collects).

#include <Poco/Logger.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "common/cond_var.h"
#include "common/mutex.h"
#include "common/result.h"
#include "daemon/audit/audit_sink.h"
#include "daemon/audit/audit_slot.h"
#include "daemon/audit/audit_store.h"
#include "daemon/audit/peer_resolver.h"
#include "daemon/time/clock.h"

namespace wpe {

struct AuditPage {
  std::vector<AuditRecord> records;  // oldest first
  std::uint64_t dropped = 0;         // calls lost since start (queue full or a failed write)
};

class AuditLog final : public AuditSink {
 public:
  struct Options {
    // 1 s: the file is at most a second behind (read() flushes anyway).
    std::chrono::milliseconds flushInterval{1000};
    // Distinct records one connection may have waiting (identical calls merge, so only a
    // client cycling through more than 4 different paths gets near it): 10,000 (~2 MB).
    std::size_t maxPending = 10000;
    std::chrono::hours retention{24 * 30};
    std::int64_t maxRows = 100000;
    std::chrono::seconds pruneInterval{60};
    // While no call arrives: a prune this often (retention is kept within it).
    std::chrono::milliseconds idlePruneInterval{std::chrono::hours(1)};
  };

  // `store`: null when the trail is unavailable, `unavailableReason` says why. Borrows
  // resolver, clock and logger.
  AuditLog(std::unique_ptr<AuditStore> store, std::string unavailableReason,
           const PeerResolver& resolver, const Clock& clock, Poco::Logger& logger, Options options);
  ~AuditLog() override;
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  void start();
  void stop();

  void record(ConnectionPeer* peer, std::string_view profile, std::string_view method,
              std::string_view path, int status) override;

  // Flushes, then the matching records. Unavailable when there is no store; Internal when
  // the store failed.
  Result<AuditPage> read(const AuditQuery& query);
  // Writes what is queued now (the writer thread does this on its own).
  void flush();
  std::uint64_t dropped() const { return dropped_.load(std::memory_order_relaxed); }
  bool available() const { return store_ != nullptr; }

 private:
  void run();
  void flushLocked() REQUIRES(writeMutex_);
  void pruneLocked() REQUIRES(writeMutex_);
  void noteFirstUse(const AuditRecord& record) REQUIRES(writeMutex_);

  const std::unique_ptr<AuditStore> store_ PT_GUARDED_BY(writeMutex_);
  const std::string unavailableReason_;
  const PeerResolver& resolver_;
  const Clock& clock_;
  Poco::Logger& logger_;
  const Options options_;

  Mutex slotsMutex_;  // taken once per connection (its first audited call) and per flush
  std::vector<std::shared_ptr<AuditSlot>> slots_ GUARDED_BY(slotsMutex_);
  const std::shared_ptr<AuditSlot> anonymous_;     // calls with no connection (tests)
  std::atomic<std::uint64_t> dropped_{0};

  Mutex stopMutex_;
  CondVar wake_;
  bool stopping_ GUARDED_BY(stopMutex_) = false;
  // A call was recorded since the writer last took the slots (set by record(), cleared by
  // the writer): it sleeps without a timeout while this is false.
  std::atomic<bool> pending_{false};

  Mutex writeMutex_;  // one flush or read at a time; guards the store and below
  // (profile, exe)
  std::set<std::pair<std::string, std::string>> knownUses_ GUARDED_BY(writeMutex_);
  std::chrono::steady_clock::time_point nextPrune_ GUARDED_BY(writeMutex_){};
  bool writeFailureLogged_ GUARDED_BY(writeMutex_) = false;

  std::thread writer_;
};

}  // namespace wpe
