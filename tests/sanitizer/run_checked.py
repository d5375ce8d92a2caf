#!/usr/bin/python3
"""Runs a test command of the sanitizer tree and fails it on any sanitizer report.

    run_checked.py REPORT_DIR -- COMMAND...

ASan, UBSan and LSan write their reports to REPORT_DIR/{asan,ubsan}.PID (log_path) instead of
stderr, for every process of the test that inherits the environment (the integration harness
passes ASAN_OPTIONS/UBSAN_OPTIONS/LSAN_OPTIONS on to wped and wpectl). The sanitizer binaries'
own defaults (tests/sanitizer/sanitizer_defaults.cpp) already make a report fatal to the
process; this also catches a report in a process whose exit status nobody checks (a wpectl
whose failure a test expects, a daemon killed at teardown). Any report file fails the test and
is printed; otherwise the command's own exit status is the result.
"""

import os
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) < 4 or sys.argv[2] != "--":
        sys.exit(__doc__)
    reports, command = os.path.abspath(sys.argv[1]), sys.argv[3:]
    shutil.rmtree(reports, ignore_errors=True)
    os.makedirs(reports)
    env = dict(os.environ)
    for name, prefix in (("ASAN_OPTIONS", "asan"), ("UBSAN_OPTIONS", "ubsan")):
        extra = f"log_path={os.path.join(reports, prefix)}"
        env[name] = f"{env[name]}:{extra}" if env.get(name) else extra
    rc = subprocess.run(command, env=env).returncode
    found = sorted(os.listdir(reports))
    for name in found:
        with open(os.path.join(reports, name), errors="replace") as f:
            sys.stderr.write(f"==== sanitizer report {name} ====\n{f.read()}\n")
    if found:
        sys.stderr.write(f"run_checked: {len(found)} sanitizer report(s) in {reports}\n")
        return 1
    shutil.rmtree(reports, ignore_errors=True)
    return rc


if __name__ == "__main__":
    sys.exit(main())
