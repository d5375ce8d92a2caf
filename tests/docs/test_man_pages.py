"""The man pages (docs/man/*.scd, built into MAN_DIR by CMake) render without a single groff
warning, and say everything the code has: every wpectl command and option (from `wpectl
--help`), every wped option (from `wped --help`), every config key (from the config loader's
key lists), every exit code. A command, option or key added to the code without its page
fails here."""

import glob
import os
import re
import subprocess

import pytest

MAN_DIR = os.environ["MAN_DIR"]
SOURCE = os.environ["WPED_SOURCE_DIR"]
WPECTL = os.environ["WPECTL_BIN"]
WPED = os.environ["WPED_BIN"]
PAGES = ["wpectl.1", "wped.8", "wped.ini.5"]


def scd(page):
    with open(os.path.join(SOURCE, "docs", "man", page + ".scd"), encoding="utf-8") as f:
        return f.read()


def rendered(page):
    """The page as a reader sees it (plain text, no formatting)."""
    r = subprocess.run(["man", "-l", "-Tutf8", "-E", "UTF-8", os.path.join(MAN_DIR, page)],
                       capture_output=True, text=True, env={**os.environ, "MANWIDTH": "100"})
    assert r.returncode == 0, r.stderr
    return re.sub(r".\x08", "", r.stdout)


def source(path):
    with open(os.path.join(SOURCE, path), encoding="utf-8") as f:
        return f.read()


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_warnings(page):
    r = subprocess.run(["man", "--warnings", "-l", "-Tutf8", "-E", "UTF-8",
                        os.path.join(MAN_DIR, page)],
                       capture_output=True, text=True, env={**os.environ, "MANWIDTH": "80"})
    assert r.returncode == 0, r.stderr
    assert r.stderr == "", f"{page} renders with warnings:\n{r.stderr}"
    assert "SEE ALSO" in re.sub(r".\x08", "", r.stdout)


def wpectl_help():
    r = subprocess.run([WPECTL, "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    return r.stdout


def test_every_wpectl_command_and_option_is_in_wpectl_1():
    help_text = wpectl_help()
    page = rendered("wpectl.1")
    commands = re.findall(r"^  wpectl ([a-z][a-z-]*)", help_text, re.M)
    options = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*|-[A-Za-z])\b", help_text))
    assert len(commands) >= 13 and "--min-valid" in options and "-X" in options
    # Listed in the COMMANDS section, as a definition term: the command at a line's start.
    section = page.split("\nCOMMANDS\n", 1)[1].split("\nSHELL COMPLETION\n", 1)[0]
    missing = [c for c in commands if not re.search(rf"^ {{7}}{c}\b", section, re.M)]
    assert not missing, f"wpectl commands missing from wpectl(1) COMMANDS: {missing}"
    # Each one described: a definition term of its own ("--help, -h" counts for both).
    missing = sorted(o for o in options if not re.search(rf"^ +(\S+, )*{o}(?![\w-])", page, re.M))
    assert not missing, f"wpectl options not described in wpectl(1): {missing}"


def test_every_wpectl_exit_code_and_variable_is_in_wpectl_1():
    page = rendered("wpectl.1")
    codes = re.findall(r"kExit\w+ = (\d+)", source("ctl/exit_codes.h"))
    section = page.split("\nEXIT STATUS\n", 1)[1].split("\nENVIRONMENT\n", 1)[0]
    assert sorted(codes) == sorted(re.findall(r"^ {7}(\d+)$", section, re.M))
    env_section = page.split("\nENVIRONMENT\n", 1)[1]
    used = set(re.findall(r'(?:env\(|xdgDir\(env, )"([A-Z_]+)"\)',
                          source("ctl/cli.cpp") + source("ctl/profile_choice.cpp") +
                          source("common/paths.cpp")))
    used |= set(re.findall(r'"(BROWSER|DISPLAY|WAYLAND_DISPLAY)"',
                           source("ctl/browser_launcher.cpp")))
    used.discard("XDG_CACHE_HOME")  # paths.cpp's cache directory is wped's, not wpectl's
    assert {"WPE_PROFILE", "WPED_SOCKET", "XDG_RUNTIME_DIR", "BROWSER"} <= used
    missing = sorted(v for v in used if v not in env_section)
    assert not missing, f"environment variables missing from wpectl(1): {missing}"


def wped_exit_codes():
    """The numbers of the Poco::Util::Application::EXIT_* codes daemon/app returns."""
    header = next(p for p in ("/usr/include/Poco/Util/Application.h",
                              "/usr/local/include/Poco/Util/Application.h") if os.path.exists(p))
    with open(header, encoding="utf-8") as f:
        values = dict(re.findall(r"\b(EXIT_[A-Z]+)\s*=\s*(\d+)", f.read()))
    used = set()
    for name in sorted(glob.glob(os.path.join(SOURCE, "daemon", "app", "*.cpp"))):
        with open(name, encoding="utf-8") as f:
            used.update(re.findall(r"\b(EXIT_[A-Z]+)\b", f.read()))
    assert used, "no EXIT_* code found in daemon/app"
    return {values[u] for u in used}


def test_every_wped_option_and_exit_code_is_in_wped_8():
    r = subprocess.run([WPED, "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    page = rendered("wped.8")
    options = set(re.findall(r"(--[a-z][a-z-]*|(?<![\w-])-[A-Za-z])\b", r.stdout))
    assert {"--config", "--socket", "--help", "--version"} <= options
    missing = sorted(o for o in options if not re.search(rf"(?<![\w-]){o}(?![\w-])", page))
    assert not missing, f"wped options missing from wped(8): {missing}"
    codes = wped_exit_codes()
    section = page.split("\nEXIT STATUS\n", 1)[1].split("\nENVIRONMENT\n", 1)[0]
    assert codes == set(re.findall(r"^ {7}(\d+)", section, re.M))
    used = set(re.findall(r'(?:env\(|xdgDir\(env, )"([A-Z_]+)"\)', source("common/paths.cpp")))
    assert {"WPED_CONFIG", "WPED_SOCKET", "XDG_RUNTIME_DIR", "XDG_CACHE_HOME"} <= used
    for name in used:
        assert name in page, f"{name} missing from wped(8)"


def test_every_config_key_is_in_wped_ini_5_with_its_default():
    loader = source("daemon/config/config_loader.cpp")
    page = rendered("wped.ini.5")
    for section, var in (("[daemon]", "kDaemonKeys"), ("[profile.NAME]", "kProfileKeys")):
        listed = re.search(var + r"\{(.*?)\};", loader, re.S).group(1)
        keys = re.findall(r'"(\w+)"', listed)
        assert len(keys) >= 5
        text = page.split(f"\n{section}\n", 1)[1]
        for key in keys:
            entry = re.search(rf"^ {{7}}{key} = .*?(?=^ {{7}}\S|\Z)", text, re.M | re.S)
            assert entry, f"{section} {key} missing from wped.ini(5)"
            assert "Default" in entry.group(0) or "Required" in entry.group(0), \
                f"{section} {key}: wped.ini(5) gives no default"
    levels = re.search(r"kLogLevels\{(.*?)\};", loader, re.S).group(1)
    for level in re.findall(r'"(\w+)"', levels):
        assert level in page, f"log level {level} missing from wped.ini(5)"
