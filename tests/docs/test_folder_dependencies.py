"""The folders of daemon/ are its module graph (docs/architecture.md, "Module map"), and the
graph has no cycle: a folder can be read, tested and changed after the ones it uses. This
derives the graph from the `#include "daemon/FOLDER/..."` lines of every .h and .cpp under
daemon/ and fails on any cycle, naming its folders and one include line for each edge, so a
new include that closes a loop is caught where it is written."""

import os
import re

SOURCE = os.environ.get("WPED_SOURCE_DIR",
                        os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
DAEMON = os.path.join(SOURCE, "daemon")
INCLUDE = re.compile(r'^\s*#\s*include\s+"daemon/([^/"]+)/[^"]+"', re.M)


def folder_graph():
    """{folder: {included folder: "file:line" of the first include making that edge}}."""
    graph = {}
    for root, _, files in os.walk(DAEMON):
        rel = os.path.relpath(root, DAEMON)
        if rel == ".":
            continue  # daemon/main.cpp sits above the folders
        folder = rel.split(os.sep)[0]
        for name in sorted(files):
            if not name.endswith((".h", ".cpp")):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                text = f.read()
            for m in INCLUDE.finditer(text):
                target = m.group(1)
                if target == folder:
                    continue
                line = text.count("\n", 0, m.start()) + 1
                where = f"{os.path.relpath(path, SOURCE)}:{line}"
                graph.setdefault(folder, {}).setdefault(target, where)
    return graph


def cycles(graph):
    """Every elementary cycle found by a depth-first walk, each once (rotated to start at its
    smallest folder)."""
    found = set()

    def walk(node, path, on_path):
        for nxt in sorted(graph.get(node, {})):
            if nxt in on_path:
                cycle = path[path.index(nxt):]
                start = cycle.index(min(cycle))
                found.add(tuple(cycle[start:] + cycle[:start]))
            elif len(path) < len(graph) + 1:
                walk(nxt, path + [nxt], on_path | {nxt})

    for start in sorted(graph):
        walk(start, [start], {start})
    return sorted(found)


def describe(graph, cycle):
    hops = list(cycle) + [cycle[0]]
    edges = [f"{a} -> {b} ({graph[a][b]})" for a, b in zip(hops, hops[1:])]
    return " -> ".join(hops) + ":\n    " + "\n    ".join(edges)


def test_the_graph_is_read():
    graph = folder_graph()
    # A guard against a vacuous pass (a moved tree, a changed include style).
    assert "app" in graph and "profiles" in graph, graph


def test_daemon_folders_have_no_cycle():
    graph = folder_graph()
    found = cycles(graph)
    assert not found, "folder cycles in daemon/:\n  " + "\n  ".join(
        describe(graph, c) for c in found)


def test_cycle_finder_names_a_cycle():
    graph = {"a": {"b": "x:1"}, "b": {"c": "y:2"}, "c": {"a": "z:3"}, "d": {"a": "w:4"}}
    assert cycles(graph) == [("a", "b", "c")]
    assert describe(graph, ("a", "b", "c")).startswith("a -> b -> c -> a:")
