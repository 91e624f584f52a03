#!/usr/bin/env python3
"""Lists public symbols without a documentation comment in Swift symbol graphs.

usage: doc-coverage.py SYMBOL-GRAPH-DIR MODULE...
Symbols that implement a protocol requirement inherit the requirement's documentation
(as DocC shows it) and are not listed. Exit status 1 when any symbol is undocumented.
"""
import json
import os
import sys

directory, modules = sys.argv[1], sys.argv[2:]
missing = []
total = 0
for name in sorted(os.listdir(directory)):
    module = name.split(".")[0].split("@")[0]
    if module not in modules or "@" in name:
        continue
    graph = json.load(open(os.path.join(directory, name)))
    implementations = {r["source"] for r in graph.get("relationships", []) if r["kind"] in ("requirementOf", "defaultImplementationOf")}
    implementations |= {r["source"] for r in graph.get("relationships", [])
                        if r["kind"] == "memberOf" and r.get("sourceOrigin")}
    for symbol in graph["symbols"]:
        if symbol.get("accessLevel") not in ("public", "open"):
            continue
        identifier = symbol["identifier"]["precise"]
        total += 1
        if symbol.get("docComment") or identifier in implementations:
            continue
        missing.append(f"{module}: {'.'.join(symbol['pathComponents'])} ({symbol['kind']['displayName']})")
for line in missing:
    print(line)
print(f"{total - len(missing)} of {total} public symbols documented", file=sys.stderr)
sys.exit(1 if missing else 0)
