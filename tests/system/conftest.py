"""Fixtures for the tests of the installed product under a real systemd user manager.

The host runs wpe-sandbox on 127.0.0.1 (the container shares the host's network); the container
gets the source and build trees read-only at their own paths, so `cmake --install build` runs
inside it exactly as the README says. Needs root, systemd-nspawn and debootstrap (./dev.sh
installs them); the base root is cached under the build folder (WPED_SYSTEM_CACHE overrides)."""

import os
import re
import shutil
import sys
import tempfile

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from harness import BUILD, ROOT  # noqa: E402
from harness.sandbox import Sandbox  # noqa: E402

import box as boxes  # noqa: E402

SOURCE = os.environ.get("WPED_SOURCE_DIR", ROOT)
CACHE = os.environ.get("WPED_SYSTEM_CACHE", os.path.join(BUILD, "system"))
README = os.path.join(SOURCE, "README.md")
BROWSER = os.path.join(SOURCE, "tests", "integration", "oauth_browser.py")


def readme_block(name):
    """The shell lines of the README's code block marked `<!-- test: NAME -->` — what a user
    copies into a shell. Fails if the README lost the block."""
    with open(README) as f:
        text = f.read()
    found = re.search(r"<!-- test: " + re.escape(name) + r" -->\s*```sh\n(.*?)```", text, re.S)
    assert found, f"README.md has no code block marked <!-- test: {name} -->"
    return found.group(1)


@pytest.fixture(scope="session")
def base():
    if os.geteuid() != 0:
        pytest.fail("tests/system boots containers: run as root (CI does)")
    for tool in ("systemd-nspawn", "debootstrap", "nsenter"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is missing: ./dev.sh deps installs it")
    return boxes.prepare_base(CACHE)


@pytest.fixture(scope="module")
def sandbox():
    state = tempfile.mkdtemp(prefix="wped-system-sandbox-", dir="/tmp")
    os.chmod(state, 0o755)  # alice reads the CA copy we give her, not this, but keep it simple
    sb = Sandbox().start(state, sites=120)
    yield sb
    sb.stop()
    shutil.rmtree(state, ignore_errors=True)


def make_box(base, name):
    """A booted box with the source and build trees visible at their own paths, readable by
    alice (their parents inside the box are made traversable)."""
    # `cmake --install build` writes build/install_manifest.txt: alice gets her own layer.
    binds = [SOURCE, BUILD]
    b = boxes.Box(base, CACHE, name, binds_ro=[SOURCE], writable_for_alice=[BUILD])
    b.__enter__()
    parents = set()
    for path in binds:
        p = os.path.dirname(os.path.realpath(path))
        while p != "/":
            parents.add(p)
            p = os.path.dirname(p)
    if parents:
        b.root("chmod o+x " + " ".join(sorted(parents)))
    return b


def alice_config(sb, extra_daemon=None, extra_default=None):
    """wped.ini for alice: the default profile (API key) and an OAuth profile, both against
    the host's sandbox, trusting its CA through a copy in ~/.config/wped."""
    i = sb.info
    ca = "/home/alice/.config/wped/sandbox-ca.pem"
    sections = {
        "daemon": {"log_level": "information", **(extra_daemon or {})},
        "profile.default": {"api_url": i["api_url"], "ca_file": ca, "auth": "api_key",
                            **(extra_default or {})},
        "profile.oauth": {"api_url": i["api_url"], "ca_file": ca, "auth": "oauth",
                          "authorize_url": i["authorize_url"], "token_url": i["token_url"],
                          "revoke_url": i["revoke_url"], "client_id": i["client_id"]},
    }
    lines = []
    for name, keys in sections.items():
        lines.append(f"[{name}]")
        lines += [f"{k} = {v}" for k, v in keys.items()]
        lines.append("")
    return "\n".join(lines)


def write_alice_config(b, sb, text=None):
    with open(sb.info["ca_file"], "rb") as f:
        ca = f.read()
    r = b.alice("mkdir -p ~/.config/wped && cat > ~/.config/wped/sandbox-ca.pem", input=ca)
    assert r.returncode == 0, r.stderr
    r = b.alice("cat > ~/.config/wped/wped.ini", input=text or alice_config(sb))
    assert r.returncode == 0, r.stderr


def install_as_readme_says(b, block):
    """Runs the README's install block as alice from a folder whose `build` is the build tree."""
    # (a manifest left by the host's own installs or cpack is root's: alice replaces it, in
    # her overlay layer only)
    script = (f"set -e; mkdir -p ~/checkout; ln -sfn {BUILD} ~/checkout/build; cd ~/checkout;"
              f" rm -f build/install_manifest*.txt\n")
    r = b.alice(script + readme_block(block), timeout=120)
    assert r.returncode == 0, f"README block {block} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}"
    return r
