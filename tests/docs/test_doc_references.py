"""Every documentation reference in a source comment resolves: the code's comments are read
by people who have only this repository. Under daemon/, ctl/, common/ and tests/, each
mention of `docs/NAME.md` (or a bare `NAME.md`, which can only mean a file in docs/) must name
an existing file; `docs/security.md rule N` / `rules N, M and K` must name numbered rules that
exist (`### N. Title` headings); and a quoted section right after the file
(`docs/interface.md "Files and environment"`) must be a heading of that file (a rule's title
counts without its number). Comment lines are joined first, so a reference may wrap."""

import glob
import os
import re

SOURCE = os.environ.get("WPED_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
ROOTS = ("daemon", "ctl", "common", "tests")
SUFFIXES = (".h", ".cpp", ".py", ".sh", ".txt", ".scd")
THIS = os.path.abspath(__file__)

# A doc name not preceded by another path (`wpe-api/README.md` is outside the repository's
# docs and not checked) — `docs/` itself is allowed.
REF = re.compile(
    r"(?<![\w./-])(?:docs/)?(?P<name>[a-z][a-z0-9-]*)\.md\b"
    r"(?P<rules>\s+rules?\s+\d+(?:\s*(?:,|and|,\s*and)\s*\d+)*)?"
    r"(?P<quoted>(?:,?\s+\"[^\"\n]{1,80}\")+)?")
CONTINUATION = re.compile(r"\n[ \t]*(?://+|#+)?[ \t]*")


def source_files():
    for root in ROOTS:
        for path in glob.glob(os.path.join(SOURCE, root, "**", "*"), recursive=True):
            if os.path.abspath(path) == THIS:
                continue
            if path.endswith(SUFFIXES) or os.path.basename(path) == "CMakeLists.txt":
                yield path


def headings(doc_path):
    """Every heading's text, also without a leading "N. " rule number; and the rule numbers."""
    with open(doc_path, encoding="utf-8") as f:
        text = f.read()
    titles, rules = set(), set()
    for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", text, re.M):
        title = m.group(1).strip()
        titles.add(title)
        numbered = re.match(r"(\d+)\.\s+(.+)", title)
        if numbered:
            rules.add(int(numbered.group(1)))
            titles.add(numbered.group(2))
    return titles, rules


def problems_in(path, text):
    joined = CONTINUATION.sub(" ", text)
    found = []
    for m in REF.finditer(joined):
        name = m.group("name")
        where = f"{os.path.relpath(path, SOURCE)}: {m.group(0).strip()!r}"
        if name == "readme":
            continue
        doc = os.path.join(SOURCE, "docs", name + ".md")
        if not os.path.isfile(doc):
            if name.upper() == "README" and os.path.isfile(os.path.join(SOURCE, "README.md")):
                continue
            found.append(f"{where}: no docs/{name}.md")
            continue
        titles, rules = headings(doc)
        if m.group("rules"):
            for n in map(int, re.findall(r"\d+", m.group("rules"))):
                if n not in rules:
                    found.append(f"{where}: docs/{name}.md has no rule {n}")
        if m.group("quoted") and not m.group("rules"):
            for section in re.findall(r"\"([^\"]+)\"", m.group("quoted")):
                if section not in titles:
                    found.append(f"{where}: docs/{name}.md has no section \"{section}\"")
    return found


def test_every_doc_reference_in_the_sources_resolves():
    problems, checked = [], 0
    for path in source_files():
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        checked += len(REF.findall(CONTINUATION.sub(" ", text)))
        problems += problems_in(path, text)
    assert checked > 50, f"only {checked} references found: is the pattern still right?"
    assert not problems, "unresolved doc references:\n  " + "\n  ".join(problems)


def test_a_wrong_reference_is_caught():
    fake = os.path.join(SOURCE, "daemon", "x.h")
    assert problems_in(fake, "// see interface.md") == []
    assert problems_in(fake, "// docs/security.md rules 1, 2 and 22") == []
    assert problems_in(fake, '// docs/interface.md "Files and\n// environment"') == []
    assert len(problems_in(fake, "// see nowhere.md")) == 1
    assert len(problems_in(fake, "// docs/security.md rule 99")) == 1
    assert len(problems_in(fake, '// docs/interface.md "No such section"')) == 1
