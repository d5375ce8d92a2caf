"""A Debian 12 container with a real systemd user manager, for the tests of the installed
product (stdlib only; needs root, systemd-nspawn and debootstrap).

These machines have no systemd as PID 1, but a booted container does:

    base = prepare_base(cache_dir)             # debootstrap + packages, once; then cached
    with Box(base, cache_dir, "svc", binds_ro=[src, build]) as box:
        box.alice("systemctl --user enable --now wped.socket")   # alice: uid 1000, lingering
        box.root("journalctl --user-unit wped.service")

The base root (debootstrap --variant=minbase bookworm plus BASE_PACKAGES, user alice with linger
enabled) is built once into CACHE/base-<stamp> and reused while the recipe is unchanged: a box
is an overlay over it, so it boots in a few seconds and never changes the base. Each box boots
with `systemd-nspawn --boot --register=no --keep-unit` (without those two flags nspawn needs a
system bus on the host: "Failed to open system bus"), shares the host's network (so it reaches
wpe-sandbox on 127.0.0.1), and is entered with nsenter into every namespace of its PID 1.
alice gets an unlocked gnome-keyring (Secret Service) on her session bus, started with a known
password the way a headless login does it."""

import fcntl
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration"))
from harness import wait_for  # noqa: E402

# The runtime of the installed product (Debian 12 names), the user session (systemd, logind's
# PAM module, the session bus, gnome-keyring, secret-tool), cmake for `cmake --install` exactly
# as the README says, sudo for its system-wide variant, python3 for the scripted OAuth browser.
BASE_PACKAGES = [
    "systemd", "systemd-sysv", "dbus", "dbus-user-session", "libpam-systemd", "gnome-keyring",
    "libsecret-tools", "libsecret-1-0", "libpococrypto80", "libpocofoundation80", "libpocojson80",
    "libpoconet80", "libpoconetssl80", "libpocoutil80", "libpocoxml80", "libsqlite3-0", "libssl3",
    "ca-certificates", "cmake", "sudo", "python3", "procps", "curl",
]
BASE_REV = 1  # bump when the recipe below changes in a way the package list does not show
# A user session and nothing of the product: the root the .deb is installed on, so that its
# Depends alone must bring the runtime libraries.
SESSION_PACKAGES = [
    "systemd", "systemd-sysv", "dbus", "dbus-user-session", "libpam-systemd", "gnome-keyring",
    "libsecret-tools", "sudo", "python3", "procps", "man-db", "bash-completion", "zsh", "fish",
]

ALICE_UID = 1000
ALICE_ENV = {
    "HOME": "/home/alice", "USER": "alice", "LOGNAME": "alice", "SHELL": "/bin/bash",
    "LANG": "C.UTF-8", "XDG_RUNTIME_DIR": f"/run/user/{ALICE_UID}",
    "DBUS_SESSION_BUS_ADDRESS": f"unix:path=/run/user/{ALICE_UID}/bus",
    "PATH": "/home/alice/.local/bin:/usr/local/bin:/usr/bin:/bin",
    "SYSTEMD_PAGER": "cat", "PAGER": "cat", "SYSTEMD_COLORS": "0",
}
ROOT_ENV = {
    "HOME": "/root", "USER": "root", "LOGNAME": "root", "SHELL": "/bin/bash", "LANG": "C.UTF-8",
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "SYSTEMD_PAGER": "cat", "PAGER": "cat", "SYSTEMD_COLORS": "0",
}
KEYRING_PASSWORD = b"wped-system-test-keyring"  # protects a throwaway keyring in the box


class BoxError(RuntimeError):
    pass


def debian_mirror():
    """The Debian mirror this machine's apt uses (the only archive reachable here)."""
    candidates = []
    try:
        with open("/etc/apt/sources.list.d/debian.sources") as f:
            candidates += [l.split()[1] for l in f if l.startswith("URIs:")]
    except OSError:
        pass
    try:
        with open("/etc/apt/sources.list") as f:
            candidates += [l.split()[1] for l in f if l.startswith("deb ")]
    except OSError:
        pass
    if not candidates:
        raise BoxError("no Debian mirror found in /etc/apt/sources.list{,.d/debian.sources}")
    return candidates[0]


def _stamp(packages):
    text = f"rev={BASE_REV} packages={' '.join(sorted(packages))}"
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def _run_logged(args, log, what, **kw):
    with open(log, "ab") as out:
        rc = subprocess.run(args, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                            **kw).returncode
    if rc != 0:
        with open(log, "rb") as f:
            tail = b"".join(f.readlines()[-15:]).decode(errors="replace")
        raise BoxError(f"{what} failed (exit {rc}); last lines of {log}:\n{tail}")


def debootstrap_minbase(target, log, debs=None):
    """A pristine Debian 12 root: debootstrap --variant=minbase bookworm, nothing else.
    debs: a folder that keeps the downloaded packages for the next time (most of the ~10
    minutes debootstrap takes here is fetching them one by one)."""
    args = ["debootstrap", "--variant=minbase"]
    if debs:
        os.makedirs(debs, exist_ok=True)
        args.append(f"--cache-dir={os.path.abspath(debs)}")
    _run_logged(args + ["bookworm", target, debian_mirror()], log, "debootstrap")
    for name in ("debian.sources",):
        src = f"/etc/apt/sources.list.d/{name}"
        if os.path.exists(src):  # the same (snapshot) mirror as the host, not the default one
            shutil.copy(src, os.path.join(target, "etc/apt/sources.list.d", name))
            try:
                os.unlink(os.path.join(target, "etc/apt/sources.list"))
            except FileNotFoundError:
                pass


def prepare_minbase(cache_dir):
    """The cached pristine root (debootstrap --variant=minbase bookworm) the bases start from."""
    minbase = os.path.join(cache_dir, f"minbase-{BASE_REV}")
    if not os.path.exists(os.path.join(minbase, ".ready")):
        new = minbase + ".new"
        shutil.rmtree(new, ignore_errors=True)
        open(minbase + ".log", "wb").close()
        debootstrap_minbase(new, minbase + ".log", debs=os.path.join(cache_dir, "debs"))
        shutil.rmtree(minbase, ignore_errors=True)
        os.rename(new, minbase)
        open(os.path.join(minbase, ".ready"), "w").close()
    return minbase


def prepare_base(cache_dir, packages=BASE_PACKAGES):
    """Returns the path of a prepared base root — the pristine root plus `packages`, user alice
    with linger enabled — building it first if no cached one was made from the same recipe.
    Safe against concurrent callers (flock). Bases unused for two weeks are removed."""
    os.makedirs(cache_dir, exist_ok=True)
    base = os.path.join(cache_dir, f"base-{_stamp(packages)}")
    with open(os.path.join(cache_dir, ".base.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ready = os.path.join(base, ".ready")
        if os.path.exists(ready):
            os.utime(ready)
            return base
        for old in os.listdir(cache_dir):
            stamp = os.path.join(cache_dir, old, ".ready")
            if (old.startswith("base-") and os.path.exists(stamp)
                    and time.time() - os.path.getmtime(stamp) > 14 * 86400):
                shutil.rmtree(os.path.join(cache_dir, old), ignore_errors=True)
        log = base + ".log"
        open(log, "wb").close()
        new = base + ".new"
        shutil.rmtree(new, ignore_errors=True)
        subprocess.run(["cp", "-a", "--reflink=auto", prepare_minbase(cache_dir), new],
                       check=True)
        os.unlink(os.path.join(new, ".ready"))
        shutil.copy("/etc/resolv.conf", os.path.join(new, "etc/resolv.conf"))
        # No service starts from a maintainer script inside the chroot.
        policy = os.path.join(new, "usr/sbin/policy-rc.d")
        with open(policy, "w") as f:
            f.write("#!/bin/sh\nexit 101\n")
        os.chmod(policy, 0o755)
        script = f"""set -e
            apt-get update -q
            apt-get install -y -q --no-install-recommends {' '.join(packages)}
            apt-get clean
            useradd -m -u {ALICE_UID} -s /bin/bash alice
            mkdir -p /var/lib/systemd/linger && touch /var/lib/systemd/linger/alice
            echo 'alice ALL=(ALL) NOPASSWD: ALL' > /etc/sudoers.d/alice
            chmod 0440 /etc/sudoers.d/alice
            rm -f /usr/sbin/policy-rc.d /etc/machine-id /var/lib/dbus/machine-id"""
        _run_logged(["systemd-nspawn", "-q", "--register=no", "--keep-unit", f"--directory={new}",
                     "--pipe", "--setenv=DEBIAN_FRONTEND=noninteractive", "/bin/sh", "-c", script],
                    log, "installing the base packages")
        shutil.rmtree(base, ignore_errors=True)
        os.rename(new, base)
        open(os.path.join(base, ".ready"), "w").close()
        return base


class Box:
    """One booted container over the base root. Use as a context manager (down() on exit)."""

    def __init__(self, base, cache_dir, name, binds_ro=(), writable_for_alice=(), timeout=60.0):
        """binds_ro: host directories shown read-only at the same path inside. writable_for_alice:
        host directories shown at the same path through an overlay whose top directory alice
        owns, so she can write files there (the host's copy is never changed)."""
        self.base = base
        self.name = name
        self.dir = os.path.join(cache_dir, "boxes", name)
        self.root_dir = os.path.join(self.dir, "root")
        self.binds_ro = list(binds_ro)
        self.writable = list(writable_for_alice)
        self.timeout = timeout
        self.nspawn = None
        self.leader = None
        self.log_path = os.path.join(self.dir, "nspawn.log")

    # -- lifecycle ---------------------------------------------------------------------------
    def __enter__(self):
        try:
            self.up()
        except BaseException:
            self.down()
            raise
        return self

    def __exit__(self, *exc):
        self.down()

    def up(self):
        self._remove_dir()
        for d in ("upper", "work", "root"):
            os.makedirs(os.path.join(self.dir, d))
        subprocess.run(["mount", "-t", "overlay", f"wped-{self.name}", "-o",
                        f"lowerdir={self.base},upperdir={self.dir}/upper,workdir={self.dir}/work",
                        self.root_dir], check=True)
        with open(os.path.join(self.root_dir, "etc/machine-id"), "w") as f:
            f.write(uuid.uuid4().hex + "\n")
        with open(os.path.join(self.root_dir, "etc/hostname"), "w") as f:
            f.write(self.name + "\n")
        args = ["systemd-nspawn", f"--directory={self.root_dir}", "--boot",
                f"--machine=wped-{self.name}", "--register=no", "--keep-unit", "--console=pipe",
                "--link-journal=no"]
        args += [f"--bind-ro={path}" for path in self.binds_ro]
        for n, path in enumerate(self.writable):
            upper = os.path.join(self.dir, f"overlay{n}")
            os.makedirs(upper)
            os.chown(upper, ALICE_UID, ALICE_UID)
            args.append(f"--overlay={path}:{upper}:{path}")
        self._log = open(self.log_path, "wb")
        self.nspawn = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self._log,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.leader = wait_for(self._find_leader, self.timeout, "the container's systemd")

        def user_manager_up():
            if self.nspawn.poll() is not None:
                raise BoxError(f"systemd-nspawn exited during boot; see {self.log_path}")
            state = self.alice("systemctl --user is-system-running", timeout=10).stdout.strip()
            return state in ("running", "degraded")

        wait_for(user_manager_up, self.timeout, "alice's systemd user manager", interval=0.2)
        self._start_keyring()

    def down(self):
        if self.nspawn is not None and self.nspawn.poll() is None:
            self.nspawn.send_signal(signal.SIGTERM)  # nspawn asks the container to power off
            try:
                self.nspawn.wait(self.timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.nspawn.pid, signal.SIGKILL)
                self.nspawn.wait()
        if getattr(self, "_log", None):
            self._log.close()
            self._log = None
        self._remove_dir()

    def _remove_dir(self):
        if not os.path.exists(self.dir):
            return
        mounts = subprocess.run(["findmnt", "-rn", "-o", "TARGET"], capture_output=True,
                                text=True).stdout.split("\n")
        real = os.path.realpath(self.dir)
        for target in sorted((m for m in mounts if m == real or m.startswith(real + "/")),
                             reverse=True):
            if subprocess.run(["umount", target]).returncode != 0:
                subprocess.run(["umount", "-l", target])
        subprocess.run(["rm", "-rf", "--one-file-system", "--", self.dir], check=True)

    def _find_leader(self):
        if self.nspawn.poll() is not None:
            raise BoxError(f"systemd-nspawn exited (status {self.nspawn.returncode}); "
                           f"see {self.log_path}")
        found = subprocess.run(["pgrep", "-P", str(self.nspawn.pid), "-x", "systemd"],
                               capture_output=True, text=True).stdout.split()
        return int(found[0]) if found else None

    def _start_keyring(self):
        # Stop the packaged socket-activated instance, so ours (started with the password, the
        # way a headless login unlocks it) owns org.freedesktop.secrets.
        self.alice("systemctl --user stop gnome-keyring-daemon.socket gnome-keyring-daemon.service"
                   " 2>/dev/null; pkill -u alice -x gnome-keyring-d; true")
        started = self.alice("gnome-keyring-daemon --unlock --daemonize --components=secrets"
                             " >/dev/null", input=KEYRING_PASSWORD)
        if started.returncode != 0:
            raise BoxError(f"gnome-keyring-daemon did not start: {started.stderr}")
        probe = self.alice("set -e; printf probe | secret-tool store --label=probe wped-probe 1;"
                           " test \"$(secret-tool lookup wped-probe 1)\" = probe;"
                           " secret-tool clear wped-probe 1", timeout=20)
        if probe.returncode != 0:
            raise BoxError(f"alice's keyring does not store secrets without a prompt: "
                           f"{probe.stderr}")

    # -- running things inside ---------------------------------------------------------------
    def _enter(self, env, user, script, input=None, timeout=60.0):
        args = ["nsenter", "-t", str(self.leader), "-a", "--", "/usr/bin/env", "-i",
                "PATH=" + ROOT_ENV["PATH"]]
        if user != "root":
            args += ["runuser", "-u", user, "--"]
        args += ["env", "-i", *[f"{k}={v}" for k, v in env.items()], "bash", "-c",
                 'cd "$HOME" && exec bash -c "$1"', "box", script]
        return subprocess.run(args, input=input if input is not None else b"",
                              capture_output=True, timeout=timeout)

    def alice(self, script, input=None, timeout=60.0, env=None):
        """Runs a bash script as alice in her session environment → CompletedProcess (text)."""
        done = self._enter({**ALICE_ENV, **(env or {})}, "alice", script,
                           _bytes(input), timeout)
        return _text(done)

    def root(self, script, input=None, timeout=60.0):
        """Runs a bash script as root inside the container → CompletedProcess (text)."""
        return _text(self._enter(ROOT_ENV, "root", script, _bytes(input), timeout))

    def path(self, inside):
        """The host path of a path inside the container (for reading files)."""
        return os.path.join(self.root_dir, inside.lstrip("/"))


def _bytes(value):
    return value.encode() if isinstance(value, str) else value


def _text(done):
    done.stdout = done.stdout.decode(errors="replace")
    done.stderr = done.stderr.decode(errors="replace")
    return done
