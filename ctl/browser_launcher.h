#pragma once
// BrowserLauncher: opens the OAuth authorize URL for `wpectl login`. Chooses the program from
// $BROWSER (a colon-separated list; the first entry whose program exists wins; each entry is
// split on spaces — no shell; "%s" in an entry is replaced by the URL, else the URL is
// appended) or xdg-open. No display (neither DISPLAY nor WAYLAND_DISPLAY) means no browser.
// The child gets a minimal environment (PATH, HOME, DISPLAY, WAYLAND_DISPLAY,
// XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS, LANG), stdin/stdout/stderr on /dev/null, and
// is double-forked so wpectl neither waits for it nor leaves a zombie.
// The caller prints the URL in every case: launching is best effort.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/paths.h"
#include "common/result.h"

namespace wpe::ctl {

class BrowserLauncher {
 public:
  // Resolves a program name (or path) to an executable path; nullopt when there is none.
  using ProgramFinder = std::function<std::optional<std::string>(const std::string& program)>;

  // `env` is read for BROWSER, the display variables and the child's environment;
  // `find` defaults to a $PATH search.
  explicit BrowserLauncher(EnvLookup env, ProgramFinder find = {});

  // The argv to run (argv[0] resolved to a path), or nullopt when no browser can be opened.
  std::optional<std::vector<std::string>> commandFor(const std::string& url) const;

  // Starts argv detached. Failure (Internal) only when fork failed; an exec failure in the
  // child is silent (the URL is printed anyway).
  Status launch(const std::vector<std::string>& argv) const;

  // The entries of a $BROWSER value, each split into words (empty entries dropped).
  static std::vector<std::vector<std::string>> parseBrowserVariable(const std::string& value);

 private:
  std::optional<std::string> find(const std::string& program) const;

  EnvLookup env_;
  ProgramFinder find_;
};

}  // namespace wpe::ctl
