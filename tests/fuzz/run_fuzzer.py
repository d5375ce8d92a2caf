#!/usr/bin/python3
"""Runs one libFuzzer target for a bounded time, as a ctest test (label fuzz).

    run_fuzzer.py FUZZER CORPUS_DIR SCRATCH_DIR SECONDS [DICT]

The committed corpus is copied into SCRATCH_DIR/corpus first, so the run adds its new inputs
there and never to the repository; a crash, leak or timeout input lands in
SCRATCH_DIR/artifacts/ (its path is printed: docs/fuzzing.md says how to reproduce it). The
fuzzer runs at nice 10: under ctest it shares the machine with latency-sensitive tests.
"""

import os
import shutil
import subprocess
import sys


def main():
    if len(sys.argv) not in (5, 6):
        sys.exit(__doc__)
    fuzzer, corpus, scratch, seconds = sys.argv[1:5]
    dictionary = sys.argv[5] if len(sys.argv) == 6 else None
    work = os.path.join(scratch, "corpus")
    artifacts = os.path.join(scratch, "artifacts") + "/"
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(corpus, work)
    os.makedirs(artifacts)
    argv = [fuzzer, f"-max_total_time={seconds}", "-rss_limit_mb=2048", "-timeout=30",
            "-max_len=16384", "-print_final_stats=1", f"-artifact_prefix={artifacts}"]
    if dictionary:
        argv.append(f"-dict={dictionary}")
    argv.append(work)
    print(" ".join(argv), flush=True)
    # Below the tests it runs beside: its time is fixed, only its number of runs shrinks.
    os.nice(10)
    return subprocess.run(argv).returncode


if __name__ == "__main__":
    sys.exit(main())
