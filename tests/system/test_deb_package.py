"""The Debian package on a clean Debian 12 root with a real systemd user manager (issue 12):
`apt-get install ./wped_….deb` brings every runtime library through the package's Depends
(the root has a user session and nothing of the product), the user units are found in
/usr/lib/systemd/user, the socket-activated service serves a login and a sync, and removing
the package leaves the user's keyring item and cache alone."""

import json
import os
import shutil
import subprocess

import pytest

import box as boxes
from conftest import CACHE, SOURCE, BUILD, write_alice_config


@pytest.fixture(scope="module")
def deb():
    done = subprocess.run([os.path.join(SOURCE, "packaging", "build-deb.sh"), BUILD],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"make deb failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout.strip().splitlines()[-1]


@pytest.fixture(scope="module")
def clean(base):
    # `base` checks the tools; this root has only a user session (SESSION_PACKAGES)
    session = boxes.prepare_base(CACHE, boxes.SESSION_PACKAGES)
    b = boxes.Box(session, CACHE, "deb")
    b.__enter__()
    yield b
    b.down()


def test_the_package_installs_serves_and_leaves_user_data_on_removal(clean, deb, sandbox):
    b = clean
    assert b.root("command -v wped").returncode != 0  # nothing of the product before
    shutil.copy(deb, b.path("/srv/" + os.path.basename(deb)))  # /tmp is a tmpfs when booted
    r = b.root(f"apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q"
               f" /srv/{os.path.basename(deb)}", timeout=600)
    assert r.returncode == 0, f"apt-get install failed:\n{r.stdout[-3000:]}\n{r.stderr}"
    assert b.root("test -f /usr/lib/systemd/user/wped.socket").returncode == 0
    assert b.root("test -f /usr/share/doc/wped/examples/wped.ini").returncode == 0
    for page in ("wpectl", "wped", "5 wped.ini"):
        r = b.alice(f"man -P cat {page}")
        assert r.returncode == 0 and "NAME" in r.stdout, f"man {page}: {r.stderr}"
    for path in ("/usr/share/bash-completion/completions/wpectl",
                 "/usr/share/zsh/vendor-completions/_wpectl",
                 "/usr/share/fish/vendor_completions.d/wpectl.fish"):
        assert b.root(f"test -s {path}").returncode == 0, f"{path} is not installed"
    # bash-completion (installed in this root) loads it on demand, as on a desktop
    r = b.alice("source /usr/share/bash-completion/bash_completion;"
                " _completion_loader wpectl; complete -p wpectl")
    assert r.returncode == 0 and "wpectl" in r.stdout, r.stderr
    # fish and zsh find theirs where Debian's shells look, with no setup by the user
    r = b.alice("fish -c 'complete -C \"wpectl \"'")
    assert r.returncode == 0 and "status" in r.stdout and "login" in r.stdout, r.stderr
    r = b.alice("zsh -f -c 'autoload -U compinit && compinit -u && print -r -- $_comps[wpectl]'")
    assert r.returncode == 0 and r.stdout.strip() == "_wpectl", (r.stdout, r.stderr)

    write_alice_config(b, sandbox)
    r = b.alice("systemctl --user daemon-reload && systemctl --user enable --now wped.socket")
    assert r.returncode == 0, r.stderr
    r = b.alice("wpectl login --api-key", input=sandbox.info["api_key"] + "\n")
    assert r.returncode == 0, r.stderr
    r = b.alice("wpectl sites --refresh")
    assert r.returncode == 0, r.stderr
    status = json.loads(b.alice("wpectl status --json").stdout)
    default = next(p for p in status["profiles"] if p["name"] == "default")
    assert default["state"] == "ready" and default["sites_count"] == "120"
    # site names complete from the daemon's cache
    r = b.alice("fish -c 'complete -C \"wpectl site \"'")
    assert r.returncode == 0 and len(r.stdout.splitlines()) == 120, (r.stdout[-500:], r.stderr)
    assert "/usr/bin/wped" in b.alice(
        "systemctl --user show wped.service -p ExecStart --value").stdout
    r = b.alice("systemctl --user help wped.service")  # Documentation=man:wped(8)
    assert r.returncode == 0 and "wped" in r.stdout, r.stderr

    b.alice("systemctl --user disable --now wped.socket wped.service")
    r = b.root("DEBIAN_FRONTEND=noninteractive apt-get purge -y -q wped")
    assert r.returncode == 0, r.stderr
    assert b.root("test -e /usr/bin/wped").returncode != 0
    # the user's data is the user's: the keyring item and the cache stay
    assert b.alice("test -s ~/.cache/wped/cache.db").returncode == 0
    items = b.alice("secret-tool search --all profile default 2>/dev/null").stdout
    kept = "label = wped: WP Engine credential (profile default)" in items
    assert kept, "removing the package removed the keyring item"  # (items holds the secret)
