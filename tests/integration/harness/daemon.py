"""Runs the real wped in a private XDG tree and talks to it.

    d = Daemon(config={"daemon": {"log_level": "debug"}, "profile.work": {"auth": "api_key"}},
               env={"DBUS_SESSION_BUS_ADDRESS": bus})
    d.start()                       # waits until `wpectl status` answers
    d.socket_activate()             # as systemd does: wped starts on the first request
    d.ctl("status", "--json")       # CompletedProcess of the real wpectl, WPED_SOCKET set
    d.request("GET", "/v1/status")  # (status, headers, body) over the Unix socket
    d.stop()                        # SIGTERM, asserts a clean exit
    d.log_text()                    # everything wped wrote to stderr

The tree lives under a short /tmp directory (socket paths must stay under 108 bytes):
runtime dir 0700 (XDG_RUNTIME_DIR), config, cache and HOME. The daemon's environment is
minimal: PATH, HOME, the XDG variables, the sanitizers' options when set (the sanitizer run
collects reports through them: tests/sanitizer/run_checked.py) and whatever `env` adds.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile

from . import SOCKET_ACTIVATE, TIMEOUT_SCALE, WPECTL, WPED, wait_for


SANITIZER_OPTIONS = ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS")


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over an AF_UNIX socket: the plainest possible client of the local API."""

    def __init__(self, path, timeout=10.0):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.unix_path)  # blocking: a momentarily full backlog waits, not fails
        sock.settimeout(self.timeout)
        self.sock = sock


def _listening(path):
    """Whether a Unix socket bound to `path` is listening (/proc/net/unix: __SO_ACCEPTCON)."""
    with open("/proc/net/unix") as f:
        next(f)
        for line in f:
            fields = line.split()
            if len(fields) >= 8 and fields[7] == path and int(fields[3], 16) & 0x10000:
                return True
    return False


def ini_text(config):
    """{"daemon": {"log_level": "debug"}, "profile.x": {...}} → INI text."""
    lines = []
    for section, keys in (config or {}).items():
        lines.append(f"[{section}]")
        for key, value in keys.items():
            lines.append(f"{key} = {value}")
        lines.append("")
    return "\n".join(lines)


class Daemon:
    def __init__(self, config=None, env=None, args=(), root=None):
        self.root = root or tempfile.mkdtemp(prefix="wped-", dir="/tmp")
        self._own_root = root is None
        self.runtime_dir = os.path.join(self.root, "run")
        self.config_home = os.path.join(self.root, "config")
        self.cache_home = os.path.join(self.root, "cache")
        self.home = os.path.join(self.root, "home")
        for d in (self.runtime_dir, self.config_home, self.cache_home, self.home):
            os.makedirs(d, exist_ok=True)
            os.chmod(d, 0o700)
        self.config_path = os.path.join(self.config_home, "wped", "wped.ini")
        self.socket_path = os.path.join(self.runtime_dir, "wped", "wped.sock")
        self.log_path = os.path.join(self.root, "wped.log")
        self.extra_env = dict(env or {})
        self.args = list(args)
        self.proc = None
        self._log_file = None
        if config is not None:
            self.write_config(config)

    # --- setup -------------------------------------------------------------------------
    def write_config(self, config):
        """Writes wped.ini from a dict of sections (or raw text)."""
        os.makedirs(os.path.dirname(self.config_path), exist_ok=True)
        text = config if isinstance(config, str) else ini_text(config)
        with open(self.config_path, "w") as f:
            f.write(text)

    def env(self, **overrides):
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": self.home,
            "XDG_RUNTIME_DIR": self.runtime_dir,
            "XDG_CONFIG_HOME": self.config_home,
            "XDG_CACHE_HOME": self.cache_home,
        }
        env.update({k: v for k, v in os.environ.items() if k in SANITIZER_OPTIONS})
        env.update(self.extra_env)
        env.update(overrides)
        return {k: v for k, v in env.items() if v is not None}

    # --- lifecycle -------------------------------------------------------------------------
    def spawn(self, args=None, env=None, **popen_kwargs):
        """Starts wped without waiting (for tests that expect it to fail or to be slow)."""
        self._log_file = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            popen_kwargs.pop("argv", None) or [WPED, *(self.args if args is None else args)],
            env=self.env(**(env or {})), stdin=subprocess.DEVNULL, stdout=self._log_file,
            stderr=self._log_file, **popen_kwargs)
        return self.proc

    def start(self, args=None, env=None, timeout=10.0, **popen_kwargs):
        self.spawn(args=args, env=env, **popen_kwargs)

        def answering():
            if self.proc.poll() is not None:
                raise AssertionError(
                    f"wped exited with {self.proc.returncode} while starting:\n{self.log_text()}")
            return self.ctl("status").returncode == 0

        wait_for(answering, timeout=timeout, what="wped to answer `wpectl status`")
        return self

    def socket_activate(self, args=None, env=None, timeout=10.0):
        """Starts wped as systemd would on demand: `systemd-socket-activate` listens on the
        socket and execs wped (LISTEN_FDS=1) only when the first client connects, so that
        client's request is queued before wped exists (the timing that exposes start-up
        races). Waits until the socket listens; does not wait for wped."""
        if os.path.exists(self.socket_path):
            os.unlink(self.socket_path)  # left by the previous activated run (systemd's)
        os.makedirs(os.path.dirname(self.socket_path), mode=0o700, exist_ok=True)
        daemon_env = self.env(**(env or {}))
        passed = [arg for name in sorted(daemon_env) for arg in ("-E", name)]
        argv = [SOCKET_ACTIVATE, "-l", self.socket_path, *passed, WPED,
                *(self.args if args is None else args)]
        self.spawn(argv=argv, env=env)
        # Listening, not just bound: the file appears at bind(), and a connect() before the
        # listen() that follows is refused (seen on a loaded machine in the sanitizer run).
        wait_for(lambda: _listening(self.socket_path) or self.proc.poll() is not None,
                 timeout=timeout, what="systemd-socket-activate to listen")
        assert self.proc.poll() is None, f"systemd-socket-activate exited:\n{self.log_text()}"
        return self

    def run_to_exit(self, args=None, env=None, timeout=10.0, **popen_kwargs):
        """Runs wped expecting it to exit on its own; returns its exit code."""
        self.spawn(args=args, env=env, **popen_kwargs)
        return self.proc.wait(timeout=timeout * TIMEOUT_SCALE)

    def stop(self, timeout=10.0):
        """SIGTERM, then asserts wped exited 0 within the timeout."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            # Scaled: an ASan wped's exit (LeakSanitizer scans the heap) is slow on a busy machine.
            rc = self.proc.wait(timeout=timeout * TIMEOUT_SCALE)
        except subprocess.TimeoutExpired:
            stacks = self._thread_stacks()
            self.proc.kill()
            self.proc.wait()
            raise AssertionError(
                f"wped did not stop within {timeout * TIMEOUT_SCALE}s:\n{self.log_text()}"
                f"\n{stacks}")
        self._close_log()
        assert rc == 0, f"wped exited with {rc}:\n{self.log_text()}"

    def _thread_stacks(self):
        """Every thread's stack of the hung wped (gdb, when installed), so a shutdown hang
        names the thread that holds it up. wped may be the child of systemd-socket-activate,
        which execs it: the pid is the same."""
        gdb = shutil.which("gdb")
        if gdb is None:
            return "(no gdb installed: no thread stacks)"
        try:
            out = subprocess.run(
                [gdb, "-p", str(self.proc.pid), "-batch", "-nx",
                 "-ex", "thread apply all bt 30"],
                capture_output=True, text=True, timeout=60)
            return "thread stacks of the hung wped:\n" + out.stdout[-20000:]
        except (OSError, subprocess.TimeoutExpired) as e:
            return f"(gdb could not read the thread stacks: {e})"

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self._close_log()

    def cleanup(self):
        self.kill()
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()

    def _close_log(self):
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None

    def journal_stream_env(self):
        """{"JOURNAL_STREAM": "DEV:INO"} naming the log file, as systemd names the journal's
        stream: started with it, wped writes its <N> priority prefixes there as it does to the
        journal (and no "wped: " name)."""
        with open(self.log_path, "ab"):
            pass
        st = os.stat(self.log_path)
        return {"JOURNAL_STREAM": f"{st.st_dev}:{st.st_ino}"}

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except FileNotFoundError:
            return ""

    # --- talking to it ---------------------------------------------------------------------
    def ctl(self, *args, input=None, env=None, timeout=30.0):
        """Runs the real wpectl with WPED_SOCKET pointing at this daemon."""
        full_env = self.env(WPED_SOCKET=self.socket_path)
        full_env.update(env or {})
        return subprocess.run([WPECTL, *args], input=input, env=full_env, capture_output=True,
                              text=True, timeout=timeout * TIMEOUT_SCALE)

    def connection(self, timeout=10.0):
        return UnixHTTPConnection(self.socket_path, timeout=timeout * TIMEOUT_SCALE)

    def request(self, method, path, body=None, headers=None, timeout=10.0):
        """One request on a fresh connection; returns (status, headers dict, body text)."""
        conn = self.connection(timeout=timeout)
        try:
            if isinstance(body, str):
                body = body.encode()
            conn.request(method, path, body=body, headers=headers or {})
            resp = conn.getresponse()
            return resp.status, dict(resp.getheaders()), resp.read().decode("utf-8", "replace")
        finally:
            conn.close()

    def raw(self, data, timeout=10.0):
        """Sends raw bytes and returns everything read until the daemon closes (or timeout)."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(self.socket_path)
        sock.settimeout(timeout * TIMEOUT_SCALE)
        try:
            try:
                sock.sendall(data)
            except (BrokenPipeError, ConnectionResetError):
                pass
            chunks = []
            while True:
                try:
                    chunk = sock.recv(65536)
                except ConnectionResetError:
                    break
                if not chunk:
                    break
                chunks.append(chunk)
            return b"".join(chunks)
        finally:
            sock.close()
