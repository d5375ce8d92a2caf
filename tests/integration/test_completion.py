"""Shell completion for wpectl, exercised in the real shells: the scripts `wpectl completion
bash|zsh|fish` prints (and the build installs) parse, and — against the real wped with a
synced sandbox — complete commands, options, profile names and site names. With wped down
or hung, the dynamic part answers fast and prints nothing under the user's prompt."""

import gzip
import json
import os
import re
import shlex
import socket
import subprocess
import tempfile
import time

import pytest

from harness import TIMEOUT_SCALE, WPECTL
from harness.daemon import Daemon

COMPLETIONS = os.path.join(os.path.dirname(WPECTL), "completions")
INSTALLED = {"bash": "wpectl", "zsh": "_wpectl", "fish": "wpectl.fish"}


def script(shell):
    r = subprocess.run([WPECTL, "completion", shell], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def shell_env(daemon_env):
    """The daemon's environment for wpectl, with the built wpectl first on PATH."""
    env = dict(daemon_env)
    env["PATH"] = os.path.dirname(WPECTL) + ":" + env.get("PATH", "/usr/bin:/bin")
    return env


def bash_complete(words, env, cword=None):
    """COMPREPLY after sourcing the bash script and calling its function on `words` (the
    last one is the word under the cursor); plus what bash printed."""
    text = script("bash")
    cword = len(words) - 1 if cword is None else cword
    with tempfile.NamedTemporaryFile("r") as result:
        program = (f"{text}\ncomplete -p wpectl >\"$RESULT\"\n"
                   f"COMP_WORDS=({' '.join(shlex.quote(w) for w in words)})\n"
                   f"COMP_CWORD={cword}\n_wpectl\n"
                   f"printf '%s\\n' \"${{COMPREPLY[@]}}\" >>\"$RESULT\"\n")
        r = subprocess.run(["bash", "--norc", "--noprofile", "-c", program],
                           env={**env, "RESULT": result.name}, capture_output=True, text=True,
                           timeout=30)
        assert r.returncode == 0, r.stderr
        text = result.read()
        out, err = r.stdout, r.stderr
    lines = text.splitlines()
    assert lines[0] == "complete -F _wpectl wpectl"
    return [l for l in lines[1:] if l], out + err


def summary(command):
    """The command's one-line summary as `wpectl --help` prints it (with its apostrophes)."""
    r = subprocess.run([WPECTL, "--help"], capture_output=True, text=True)
    match = re.search(rf"^  wpectl {command}\b.*?  +(\S.*)$", r.stdout, re.M)
    assert match, r.stdout
    return match.group(1)


def fish_complete(line, env, descriptions=False):
    r = subprocess.run(["fish", "--no-config", "-c",
                        f"source {shlex.quote(os.path.join(COMPLETIONS, 'wpectl.fish'))}; "
                        f"complete -C {shlex.quote(line)}"],
                       env=env, capture_output=True, text=True, timeout=30)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    if descriptions:
        return dict(l.split("\t", 1) if "\t" in l else (l, "") for l in r.stdout.splitlines())
    return [l.split("\t")[0] for l in r.stdout.splitlines()]


@pytest.fixture
def synced(stack):
    """A logged-in default profile whose sites are in wped's cache; its site names."""
    stack.login_api_key()
    sites = stack.ctl_json("sites")["results"]
    assert len(sites) > 2
    return stack, sorted(s["name"] for s in sites)


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_scripts_parse_and_the_build_installs_what_the_generator_prints(shell):
    text = script(shell)
    with open(os.path.join(COMPLETIONS, INSTALLED[shell])) as f:
        assert f.read() == text, "the built completion file is not what wpectl generates"
    with tempfile.NamedTemporaryFile("w", suffix="." + shell) as f:
        f.write(text)
        f.flush()
        r = subprocess.run([shell, "-n", f.name], capture_output=True, text=True)
        assert r.returncode == 0 and r.stderr == "", f"{shell} -n: {r.stderr}"


def test_bash_completes_commands_options_profiles_and_sites(synced):
    stack, names = synced
    env = shell_env(stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path))
    assert bash_complete(["wpectl", "sta"], env)[0] == ["status"]
    reply, _ = bash_complete(["wpectl", "token", "--m"], env)
    assert reply == ["--min-valid"]
    reply, _ = bash_complete(["wpectl", "completion", ""], env)
    assert reply == ["bash", "zsh", "fish"]
    reply, _ = bash_complete(["wpectl", "--profile", "c"], env)
    assert reply == ["confidential"]  # from wped's profiles, not a fixed list
    reply, printed = bash_complete(["wpectl", "site", ""], env)
    assert sorted(reply) == names
    assert printed == ""
    first = names[0]
    reply, _ = bash_complete(["wpectl", "site", first[:len(first) - 1]], env)
    assert first in reply and all(r.startswith(first[:len(first) - 1]) for r in reply)
    # Another profile's cache: the basic profile was never synced, so no names.
    reply, _ = bash_complete(["wpectl", "--profile", "basic", "site", ""], env)
    assert reply == []


def test_fish_completes_commands_and_sites(synced):
    stack, names = synced
    env = shell_env(stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path))
    offered = fish_complete("wpectl ", env)
    assert {"status", "login", "sites", "site", "token", "api", "completion"} <= set(offered)
    assert "__complete" not in offered
    described = fish_complete("wpectl ", env, descriptions=True)
    assert described["sites"] == summary("sites") and "'" in summary("sites")
    assert fish_complete("wpectl token --min", env) == ["--min-valid"]
    assert sorted(fish_complete("wpectl site ", env)) == names
    assert "oauth" in fish_complete("wpectl --profile ", env)


def test_zsh_loads_it_with_compinit_and_completes(synced):
    stack, names = synced
    env = shell_env(stack.daemon.env(WPED_SOCKET=stack.daemon.socket_path))
    env["HOME"] = stack.daemon.home
    fpath = shlex.quote(COMPLETIONS)
    shown = names[-1].replace(" ", "\\ ")  # zsh lists the names as they will be inserted
    # Autoloaded from $fpath, as the installed file is; then real completions typed into an
    # interactive zsh on a pseudo-terminal (zsh/zpty), reading its screen until the expected
    # text shows up.
    program = f"""
fpath=({fpath} $fpath)
autoload -U compinit && compinit -u -d $HOME/.zcompdump
print -r -- "registered: $_comps[wpectl]"
zmodload zsh/zpty zsh/datetime
screen() {{  # reads the pty until its output contains the text $1 (10 s at most)
  local chunk; local -F deadline=$((EPOCHREALTIME + 10))
  REPLY=
  while (( EPOCHREALTIME < deadline )); do
    if zpty -r -t z chunk; then REPLY+=$chunk; [[ $REPLY == *"$1"* ]] && return 0
    else sleep 0.02; fi
  done
  return 1
}}
zpty z zsh -f -i
zpty -w z 'PS1="> "; fpath=({fpath} $fpath); autoload -U compinit; compinit -u -d $HOME/.zcompdump; echo READY$((6*7))'
screen READY42 || {{ print -r -- "no prompt: $REPLY"; exit 1 }}
zpty -w -n z $'wpectl sta\t'
screen 'wpectl status' && print -r -- "command: ok" || print -r -- "command: ${{(q)REPLY}}"
zpty -w -n z $'\C-u'
zpty -w -n z $'wpectl \t'
screen {shlex.quote(summary('accounts'))} && print -r -- "described: ok" || print -r -- "described: ${{(q)REPLY}}"
zpty -w -n z $'\C-u'
zpty -w -n z $'wpectl token --min\t'
screen --min-valid && print -r -- "option: ok" || print -r -- "option: ${{(q)REPLY}}"
zpty -w -n z $'\C-u'
zpty -w -n z $'wpectl site \t\t'
screen {shlex.quote(shown)} && print -r -- "site: ok" || print -r -- "site: ${{(q)REPLY}}"
zpty -d z
"""
    r = subprocess.run(["zsh", "-f", "-c", program], env=env, capture_output=True, text=True,
                       timeout=60)
    assert "registered: _wpectl" in r.stdout, r.stdout + r.stderr
    assert "command: ok" in r.stdout, r.stdout
    assert "option: ok" in r.stdout, r.stdout
    assert "described: ok" in r.stdout, r.stdout  # the summaries' apostrophes survive
    assert "site: ok" in r.stdout, r.stdout


def test_dynamic_completion_is_fast_and_silent_when_wped_is_down_or_hung():
    with Daemon(config={"profile.agency": {"auth": "api_key"}}) as daemon:  # never started
        env = shell_env(daemon.env(WPED_SOCKET=daemon.socket_path))
        start = time.monotonic()
        r = subprocess.run([WPECTL, "__complete", "sites", ""], env=env, capture_output=True,
                           text=True, timeout=10)
        assert time.monotonic() - start < 1.0 * TIMEOUT_SCALE
        assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
        # Profile names still come from the config file.
        r = subprocess.run([WPECTL, "__complete", "profiles", ""], env=env,
                           capture_output=True, text=True, timeout=10)
        assert r.stdout.split() == ["agency", "default"]
        reply, printed = bash_complete(["wpectl", "site", "T"], env)
        assert (reply, printed) == ([], "")

        # Hung: something listens on the socket but never answers.
        os.makedirs(os.path.dirname(daemon.socket_path), mode=0o700, exist_ok=True)
        hung = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        hung.bind(daemon.socket_path)
        hung.listen(16)
        try:
            start = time.monotonic()
            r = subprocess.run([WPECTL, "__complete", "sites", ""], env=env,
                               capture_output=True, text=True, timeout=10)
            elapsed = time.monotonic() - start
            assert (r.returncode, r.stdout, r.stderr) == (0, "", "")
            assert elapsed < 1.0 * TIMEOUT_SCALE, f"__complete took {elapsed:.2f}s against a hung wped"
            start = time.monotonic()
            assert fish_complete("wpectl site ", env) == []
            assert time.monotonic() - start < 2.0 * TIMEOUT_SCALE  # fish's start-up included
        finally:
            hung.close()


def test_install_puts_scripts_and_man_pages_where_debian_looks(tmp_path):
    build = os.path.dirname(os.path.dirname(WPECTL))
    r = subprocess.run(["cmake", "--install", build, "--prefix", "/usr"],
                       env={**os.environ, "DESTDIR": str(tmp_path)}, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    bash_dir = subprocess.run(["pkg-config", "--variable=completionsdir", "bash-completion"],
                              capture_output=True, text=True).stdout.strip()
    zsh_fpath = subprocess.run(["zsh", "-f", "-c", "print -l $fpath"], capture_output=True,
                               text=True).stdout.split()
    # Not --no-config: that also leaves out the vendor directories. A fresh HOME instead.
    fish_path = subprocess.run(["fish", "-c", "printf '%s\\n' $fish_complete_path"],
                               env={**os.environ, "HOME": str(tmp_path)}, capture_output=True,
                               text=True).stdout.split()
    for directory, name, shell in (
            (bash_dir, "wpectl", "bash"),
            (next(d for d in zsh_fpath if d == "/usr/share/zsh/vendor-completions"), "_wpectl", "zsh"),
            (next(d for d in fish_path if d == "/usr/share/fish/vendor_completions.d"), "wpectl.fish",
             "fish")):
        with open(str(tmp_path) + os.path.join(directory, name)) as f:
            assert f.read() == script(shell)
    for page in ("man1/wpectl.1", "man8/wped.8", "man5/wped.ini.5"):
        with gzip.open(os.path.join(tmp_path, "usr/share/man", page + ".gz")) as f:
            assert len(f.read()) > 1000
