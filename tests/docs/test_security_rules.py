"""docs/security.md numbers every rule and lists every acceptance case with the tests that prove
it. This keeps that true: every numbered rule and every acceptance case names at least one test,
and every test it names exists — a pytest function (`file.py::test_name`, looked up under
tests/), a Catch2 case (`"Name: what it checks"`, looked up in tests/unit) or a fuzz target
(`fuzz_NAME`, tests/fuzz/fuzz_NAME.cpp). A renamed or deleted test fails here until the document
follows."""

import glob
import os
import re

SOURCE = os.environ["WPED_SOURCE_DIR"]
DOC = os.path.join(SOURCE, "docs", "security.md")

PYTEST_REF = re.compile(r"`([\w/.-]+\.py)::(\w+)`")
CATCH_REF = re.compile(r'`"([^"`]+)"`')
FUZZ_REF = re.compile(r"`(fuzz_\w+)`")


def doc():
    with open(DOC, encoding="utf-8") as f:
        return f.read()


def rules():
    """{number: (title, body)} for every `### N. Title` heading under ## Rules."""
    text = doc()
    part = text.split("\n## Rules\n", 1)[1].split("\n## ", 1)[0]
    found = {}
    for m in re.finditer(r"^### (\d+)\. (.+?)\n(.*?)(?=^### |\Z)", part, re.S | re.M):
        found[int(m.group(1))] = (m.group(2), m.group(3))
    return found


def acceptance_rows():
    text = doc()
    part = text.split("\n## Acceptance cases\n", 1)[1].split("\n## ", 1)[0]
    return [line for line in part.splitlines()
            if line.startswith("|") and not re.match(r"^\|[\s|:-]+\|$", line)][1:]


def refs(text):
    return PYTEST_REF.findall(text), CATCH_REF.findall(text), FUZZ_REF.findall(text)


def pytest_exists(path, name):
    candidates = glob.glob(os.path.join(SOURCE, "tests", "**", os.path.basename(path)),
                           recursive=True)
    for c in candidates:
        with open(c, encoding="utf-8") as f:
            if re.search(rf"^\s*def {name}\(", f.read(), re.M):
                return True
    return False


def catch_cases():
    names = set()
    for c in glob.glob(os.path.join(SOURCE, "tests", "unit", "*.cpp")):
        with open(c, encoding="utf-8") as f:
            names.update(re.findall(r'TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"', f.read()))
    return {n.replace('\\"', '"') for n in names}


def test_rules_are_numbered_one_to_n_without_gaps():
    numbers = sorted(rules())
    assert numbers, "docs/security.md has no '### N. Title' rules under '## Rules'"
    assert numbers == list(range(1, len(numbers) + 1)), numbers


def test_every_rule_and_every_acceptance_case_names_a_test():
    missing = [f"rule {n}. {title}" for n, (title, body) in rules().items()
               if not any(refs(body))]
    missing += [f"acceptance case: {row[:80]}" for row in acceptance_rows()
                if not any(refs(row))]
    assert not missing, "without a test:\n" + "\n".join(missing)


def test_every_named_test_exists():
    text = doc()
    pytests, catches, fuzzers = refs(text)
    cases = catch_cases()
    absent = [f"{p}::{n}" for p, n in pytests if not pytest_exists(p, n)]
    absent += [f'unit "{c}"' for c in catches if c not in cases]
    absent += [f for f in fuzzers
               if not os.path.exists(os.path.join(SOURCE, "tests", "fuzz", f + ".cpp"))]
    assert not absent, "docs/security.md names tests that do not exist:\n" + "\n".join(absent)


def test_the_checker_sees_a_missing_test(tmp_path):
    # The checks above must be able to fail: a made-up name is not found.
    assert not pytest_exists("test_local_api.py", "test_that_does_not_exist")
    assert "No such case: never written" not in catch_cases()
