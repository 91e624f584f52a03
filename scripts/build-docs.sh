#!/usr/bin/env bash
# Builds the DocC documentation of the library modules with the toolchain's own docc,
# warnings as errors, and checks that every public symbol has a documentation comment.
# Output: .build-docs/<Module>.doccarchive
set -euo pipefail
cd "$(dirname "$0")/.."
graphs="$PWD/.build-docs/symbol-graphs"
# Symbol graphs are written only when modules compile: start from a clean scratch folder.
rm -rf .build-docs
mkdir -p "$graphs"
for target in ESEFormat ESECheck ESECorpus; do
    swift build --scratch-path .build-docs --target "$target" \
        -Xswiftc -emit-symbol-graph -Xswiftc -emit-symbol-graph-dir -Xswiftc "$graphs" >/dev/null
done
python3 scripts/doc-coverage.py "$graphs" ESEFormat ESECheck ESECorpus
for module in ESEFormat ESECheck ESECorpus; do
    module_graphs="$PWD/.build-docs/graphs-$module"
    rm -rf "$module_graphs"
    mkdir -p "$module_graphs"
    cp "$graphs/$module.symbols.json" "$module_graphs/"
    cp "$graphs/$module"@*.symbols.json "$module_graphs/" 2>/dev/null || true
    docc convert "Sources/$module/$module.docc" \
        --fallback-display-name "$module" --fallback-bundle-identifier "esecheck.$module" \
        --additional-symbol-graph-dir "$module_graphs" \
        --warnings-as-errors \
        --output-path ".build-docs/$module.doccarchive" >/dev/null
    echo "docc: $module built with no warnings"
done
