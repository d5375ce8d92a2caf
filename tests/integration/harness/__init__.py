"""Shared helpers for the integration tests: where the binaries are, and waiting for a
condition instead of sleeping. Each component has its own module beside this one
(sandbox.py, keyring.py, daemon.py); conftest.py composes them into fixtures."""

import os
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BUILD = os.environ.get("WPED_BUILD_DIR", os.path.join(ROOT, "build"))

WPED = os.environ.get("WPED_BIN", os.path.join(BUILD, "daemon", "wped"))
WPECTL = os.environ.get("WPECTL_BIN", os.path.join(BUILD, "ctl", "wpectl"))
SOCKET_ACTIVATE = "/usr/bin/systemd-socket-activate"
SANDBOX = os.environ.get("WPE_SANDBOX_BIN", os.path.join(BUILD, "tests", "sandbox", "wpe-sandbox"))
# Every wait_for() deadline is multiplied by this: the sanitizer run (ctest sanitize.*) sets 3,
# because ASan binaries start and answer several times slower, beside fuzzers on a busy machine.
TIMEOUT_SCALE = float(os.environ.get("WPED_TEST_TIMEOUT_SCALE", "1"))
# True in the sanitizer run: ASan's shadow memory and quarantine make absolute memory figures
# meaningless there, so tests bound the growth they cause instead (and absolute figures only
# in the normal run).
SANITIZED = os.environ.get("WPED_TEST_SANITIZED") == "1"


def wait_for(predicate, timeout=10.0, what="condition", interval=0.02):
    """Polls predicate() until it returns a truthy value, which is returned. Raises
    AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout * TIMEOUT_SCALE
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(
                f"timed out after {timeout * TIMEOUT_SCALE}s waiting for {what}")
        time.sleep(interval)
