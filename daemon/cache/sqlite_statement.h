#pragma once
// SqliteStatement: one prepared SQLite statement, finalized when it goes out of scope — the
// site cache's and the audit trail's, which share cache.db. ok() is false when preparing
// failed (the error is on the connection); the calls below are then harmless no-ops in SQLite.
// Not thread-safe: a statement belongs to the code holding its connection's lock.

#include <sqlite3.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace wpe {

class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql) {
    rc_ = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
  }
  ~SqliteStatement() { sqlite3_finalize(stmt_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  bool ok() const { return rc_ == SQLITE_OK; }
  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }
  // Without a copy: `s` must stay unchanged until the next reset() or the statement's end.
  void bindStatic(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC);
  }
  // "" as NULL (the cache's optional columns).
  void bindStaticOrNull(int i, const std::string& s) {
    if (s.empty()) {
      sqlite3_bind_null(stmt_, i);
    } else {
      bindStatic(i, s);
    }
  }
  void bind(int i, long long v) { sqlite3_bind_int64(stmt_, i, v); }
  int step() { return sqlite3_step(stmt_); }
  // Ready to step again, with no value bound.
  void reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  // A column as text ("" for NULL).
  std::string text(int col) const { return std::string(view(col)); }
  // The same without a copy: valid until the next step() or reset().
  std::string_view view(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p ? std::string_view(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, col)))
             : std::string_view();
  }
  bool isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
  long long integer(int col) const { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

}  // namespace wpe
