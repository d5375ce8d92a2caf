"""SecretServiceStore against a real Secret Service: runs wped_keyring_tests once per keyring
environment (harness/keyring.py), each with the Catch2 tag naming what it expects."""

import os
import subprocess

import pytest

from harness import BUILD
from harness.keyring import Keyring

KEYRING_TESTS = os.environ.get("WPED_KEYRING_TESTS_BIN",
                               os.path.join(BUILD, "tests", "keyring", "wped_keyring_tests"))

CASES = [
    ("unlocked", "[ready]"),
    ("unlocked", "[lock_transition]"),
    ("locked", "[locked]"),
    ("no_service", "[no_service]"),
    ("no_bus", "[no_bus]"),
    ("hung", "[hung]"),
    ("no_login", "[no_default]"),
    ("unlocked", "[bus_dies]"),
]


@pytest.mark.parametrize("mode,tag", CASES, ids=[f"{m}-{t.strip('[]')}" for m, t in CASES])
def test_secret_service_store(tmp_path, mode, tag):
    if not os.path.exists(KEYRING_TESTS):
        pytest.fail(f"{KEYRING_TESTS} is not built (cmake --build build --target wped_keyring_tests)")
    with Keyring() as keyring:
        keyring.start(str(tmp_path / "home"), mode)
        env = keyring.full_env()
        if tag == "[bus_dies]":
            env["WPED_TEST_BUS_PID"] = str(keyring.bus_pid())
        result = subprocess.run([KEYRING_TESTS, tag], env=env,
                                capture_output=True, text=True, timeout=120)
    print(result.stdout)
    assert result.returncode == 0, f"{tag} in mode {mode}:\n{result.stdout}\n{result.stderr}"
    assert "All tests passed" in result.stdout
    assert "No test cases matched" not in result.stdout


def test_keyring_harness_stops_its_processes(tmp_path):
    keyring = Keyring()
    keyring.start(str(tmp_path / "home"), "unlocked")
    procs = [keyring._bus, keyring._keyring]
    keyring.stop()
    assert all(p.poll() is not None for p in procs)


def test_parallel_keyrings_do_not_share_a_bus(tmp_path):
    with Keyring() as a, Keyring() as b:
        a.start(str(tmp_path / "a"), "unlocked")
        b.start(str(tmp_path / "b"), "locked")
        assert a.address != b.address
        assert a.login_locked() is False
        assert b.login_locked() is True
