"""The README's system-wide install (/usr/local, through sudo) under a real systemd user
manager: the units land in /usr/local/lib/systemd/user, which the user manager searches, and
the socket-activated wped serves the installed wpectl."""

import json

from conftest import install_as_readme_says, make_box, write_alice_config


def test_the_readme_system_wide_install_serves(base, sandbox):
    b = make_box(base, "usrlocal")
    try:
        write_alice_config(b, sandbox)
        install_as_readme_says(b, "install-system")
        assert b.alice("test -f /usr/local/lib/systemd/user/wped.socket").returncode == 0
        assert b.alice("command -v wpectl").stdout.strip() == "/usr/local/bin/wpectl"
        assert "/usr/local/bin/wped" in b.alice(
            "systemctl --user show wped.service -p ExecStart --value").stdout
        r = b.alice("wpectl login --api-key", input=sandbox.info["api_key"] + "\n")
        assert r.returncode == 0, r.stderr
        r = b.alice("wpectl status --json")
        assert r.returncode == 0, r.stderr
        default = next(p for p in json.loads(r.stdout)["profiles"] if p["name"] == "default")
        assert default["state"] == "ready"
        assert b.alice("systemctl --user is-active wped.service").stdout.strip() == "active"
    finally:
        b.down()
