#pragma once
// SyncProgress: how far a running walk of one list has got — pages fetched and objects in
// them so far — for `wpectl sites --refresh` to show on a terminal while it waits (exposed
// as the status facts {kind}_sync_pages / {kind}_sync_items). Written by the fetch workers,
// read by status requests: relaxed atomics, a reader may see pages and items one page apart.

#include <atomic>
#include <cstddef>

namespace wpe {

struct SyncProgress {
  std::atomic<std::size_t> pages{0};
  std::atomic<std::size_t> items{0};

  void reset() {
    pages.store(0, std::memory_order_relaxed);
    items.store(0, std::memory_order_relaxed);
  }
  void addPage(std::size_t objects) {
    items.fetch_add(objects, std::memory_order_relaxed);
    pages.fetch_add(1, std::memory_order_relaxed);
  }
};

}  // namespace wpe
