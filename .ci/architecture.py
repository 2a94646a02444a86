#!/usr/bin/env python3
"""The import rules of app/src (docs/DESIGN.md §3.1), checked from the source text.

Every file of app/src is a node; `use crate::…`, `super::…`, `self::…` and paths through a
name imported that way are its edges. A path through a module file that only re-exports
(`pub use types::*`) is followed to the file that defines the item, so a folder's facade
does not hide or invent a dependency. Test modules (`#[cfg(test)] mod …`, inline or in a file
of their own) are left out; inline modules (`mod server { … }`) count as their file.

Fails when
  - files import each other in a circle (directly or through others), or
  - a file imports one of a higher layer (LAYERS below, bottom first).

    python3 .ci/architecture.py            the check
    python3 .ci/architecture.py --modules  also which top-level module uses which
"""
import collections
import os
import re
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "app", "src")

# Bottom first. A file belongs to the layer of its longest matching path prefix.
LAYERS = [
    ("foundation", ["stored", "hydration", "dates", "refusals", "http_status", "errors", "db", "fields", "ids",
                    "names", "areas", "preferences", "access", "sync/contract",
                    # login and password rules: no dependency at all
                    "accounts/fields"]),
    ("accounts", ["accounts", "audit"]),
    # the sync engine, and the device's copy of the account it locks and wipes
    ("sync", ["sync", "accounts/device"]),
    # the kit every page shares, and the lock screen over every page
    ("ui", ["ui", "accounts/lock"]),
    ("records", ["places", "councils", "persons", "offences", "visits", "tasks", "proposals",
               "meetings", "events", "map"]),
    # pages that combine kinds, and the administration of accounts and places
    ("pages", ["home", "reports", "places/views", "places/village_results", "places/admin_views",
               "accounts/views",
               "accounts/admin", "accounts/admin_views", "accounts/new_account",
               "accounts/member_link", "accounts/devices", "audit/views", "sync/views",
               "sync/status", "councils/import_views", "councils/import_preview"]),
    ("top", ["kinds", "shell", "lib"]),
]


def module_path(relative):
    parts = relative[:-3].split("/")
    return () if parts == ["lib"] else tuple(parts)


TEST_MODULE = re.compile(r"#\[cfg\(test\)\]\s*(?:pub(?:\([^)]*\))?\s+)?mod (\w+)\s*([{;])")
INLINE_MODULE = re.compile(r"(?m)^[ \t]*(?:pub(?:\([^)]*\))?\s+)?mod \w+\s*\{")


def read_files():
    """Every file of app/src but the test modules kept in files of their own."""
    files = {}
    for folder, _, names in os.walk(ROOT):
        for name in names:
            if name.endswith(".rs"):
                relative = os.path.relpath(os.path.join(folder, name), ROOT)
                files[module_path(relative)] = relative
    for module, relative in list(files.items()):
        with open(os.path.join(ROOT, relative), encoding="utf-8") as handle:
            for match in TEST_MODULE.finditer(handle.read()):
                if match.group(2) == ";":
                    files.pop(module + (match.group(1),), None)
    return files


def block_end(text, opening):
    """The index after the brace that closes the one at `opening`."""
    depth = 0
    for index in range(opening, len(text)):
        depth += text[index] == "{"
        depth -= text[index] == "}"
        if depth == 0:
            return index + 1
    return len(text)


def source(relative):
    """The file's code without comments, test modules and string literals, with the paths
    of its inline modules (`mod server { … }`) made relative to the file itself."""
    with open(os.path.join(ROOT, relative), encoding="utf-8") as handle:
        text = handle.read()
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    text = re.sub(r"//[^\n]*", "", text)
    while True:
        match = TEST_MODULE.search(text)
        if not match:
            break
        end = match.end() if match.group(2) == ";" else block_end(text, match.end() - 1)
        text = text[: match.start()] + text[end:]
    # Inside an inline module `super::` is the file's own module: one level fewer.
    parts, last = [], 0
    for match in INLINE_MODULE.finditer(text):
        if match.start() < last:
            continue
        end = block_end(text, match.end() - 1)
        inner = re.sub(r"(?<![\w:])super::(super::)?",
                       lambda m: "super::" if m.group(1) else "self::",
                       text[match.end(): end])
        parts += [text[last: match.end()], inner]
        last = end
    parts.append(text[last:])
    return "".join(parts)


def use_trees(body, prefix=()):
    """`a::{b, c::{d, e}}` as the paths it names."""
    parts, depth, current = [], 0, ""
    for char in body:
        depth += char == "{"
        depth -= char == "}"
        if char == "," and depth == 0:
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    paths = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        nested = re.match(r"^([\w:]*?)(?:::)?\{(.*)\}$", part, re.S)
        if nested:
            head = [s for s in nested.group(1).split("::") if s]
            paths += use_trees(nested.group(2), prefix + tuple(head))
        else:
            named = part.split(" as ")[0]
            paths.append(prefix + tuple(s.strip() for s in named.split("::") if s.strip()))
    return paths


REEXPORT = re.compile(r"\bpub(?:\([\w:]+\))?\s+use\s+([^;]+);")
DEFINES = re.compile(r"pub(?:\([\w:]+\))?\s+(?:async\s+)?"
                     r"(?:struct|enum|fn|type|trait|const|static|mod)\s+(\w+)")


class Graph:
    def __init__(self):
        self.files = read_files()
        self.texts = {m: source(r) for m, r in self.files.items()}
        self.reexports, self.globs = {}, collections.defaultdict(list)
        for module, text in self.texts.items():
            for match in REEXPORT.finditer(text):
                for path in use_trees(match.group(1).strip()):
                    full = self.absolute(module, path)
                    if full is None:
                        continue
                    if full[-1] == "*":
                        self.globs[module].append(full[:-1])
                    else:
                        self.reexports[(module, full[-1])] = full
        self.edges = {m: self.imports(m) for m in self.files}

    def absolute(self, module, path):
        if not path:
            return None
        if path[0] == "crate":
            return path[1:]
        if path[0] in ("super", "self"):
            base = module if path[0] == "self" else module[:-1]
            rest = path[1:]
            while rest and rest[0] == "super":
                base, rest = base[:-1], rest[1:]
            return base + rest
        if module + (path[0],) in self.files:
            return module + path
        return None

    def defined_in(self, module):
        names = set(DEFINES.findall(self.texts[module]))
        for match in REEXPORT.finditer(self.texts[module]):
            names |= {p[-1] for p in use_trees(match.group(1).strip())}
        return names

    def resolve(self, path, depth=0):
        for cut in range(len(path), 0, -1):
            module = path[:cut]
            if module not in self.files:
                continue
            rest = path[cut:]
            if rest and depth < 5:
                if (module, rest[0]) in self.reexports:
                    return self.resolve(self.reexports[(module, rest[0])] + rest[1:],
                                        depth + 1) or module
                for child in self.globs[module]:
                    if child in self.files and rest[0] in self.defined_in(child):
                        return self.resolve(child + rest, depth + 1) or module
            return module
        return None

    def imports(self, module):
        text = REEXPORT.sub("", self.texts[module])
        paths = [p for m in re.finditer(r"\buse\s+([^;]+);", text)
                 for p in use_trees(m.group(1).strip())]
        aliases = {p[-1]: p for p in paths if p and p[-1] not in ("*", "self")}
        aliases.update({p[-2]: p[:-1] for p in paths if len(p) > 1 and p[-1] == "self"})
        for match in re.finditer(r"(?<![\w:])((?:crate|super|self)(?:::\w+)+)", text):
            paths.append(tuple(match.group(1).split("::")))
        for match in re.finditer(r"(?<![\w:])([a-z_]\w*)((?:::\w+)+)", text):
            name = match.group(1)
            if name in aliases and name not in ("crate", "super", "self"):
                paths.append(aliases[name] + tuple(match.group(2).split("::")[1:]))
        found = set()
        for path in paths:
            full = self.absolute(module, path)
            target = self.resolve(full) if full else None
            if target and target != module:
                found.add(target)
        return found


def circles(edges):
    """Strongly connected components with more than one file (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for other in edges[node]:
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def layer_of(module):
    path, best = "/".join(module) or "lib", None
    for rank, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if path == prefix or path.startswith(prefix + "/"):
                if best is None or len(prefix) > best[1]:
                    best = (rank, len(prefix))
    return None if best is None else best[0]


def name(module):
    return "/".join(module) or "lib"


def main():
    graph = Graph()
    problems = []
    for component in circles(graph.edges):
        problems.append("import circle: " + " -> ".join(name(m) for m in component))
    for module in sorted(graph.files):
        rank = layer_of(module)
        if rank is None:
            problems.append(f"{name(module)}: in no layer (add it to LAYERS)")
            continue
        for target in sorted(graph.edges[module]):
            other = layer_of(target)
            if other is not None and other > rank:
                problems.append(f"{name(module)} ({LAYERS[rank][0]}) imports {name(target)} "
                                f"({LAYERS[other][0]}), a higher layer")
    if "--modules" in sys.argv:
        uses = collections.defaultdict(set)
        for module, targets in graph.edges.items():
            for target in targets:
                if module and target and module[0] != target[0]:
                    uses[module[0]].add(target[0])
        for top in sorted(uses):
            print(f"{top} -> {', '.join(sorted(uses[top]))}")
    edges = sum(len(t) for t in graph.edges.values())
    print(f"app/src: {len(graph.files)} files, {edges} imports between them, "
          f"{len(problems)} problems")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
