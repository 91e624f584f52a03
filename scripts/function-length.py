#!/usr/bin/env python3
"""Fails when a function, initializer or closure-bodied computed property in Sources/ is
longer than the limit (lines of logic: blank lines and comment-only lines are not counted).
Usage: scripts/function-length.py [LIMIT]   (default 80)"""
import os, re, sys

LIMIT = int(sys.argv[1]) if len(sys.argv) > 1 else 80
START = re.compile(r'^(\s*)(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|private|fileprivate|internal|package|static|class|mutating|nonmutating|override|final|nonisolated|@inlinable|@usableFromInline)\s+)*(?:func\s+\S|init[?!]?\s*[(<]|(?:var|subscript)\b[^=]*\{\s*$)')

def logic_lines(lines):
    count = 0
    for line in lines:
        text = line.strip()
        if not text or text.startswith('//') or text.startswith('///'):
            continue
        count += 1
    return count

failures = []
for root, _, files in os.walk('Sources'):
    for name in files:
        if not name.endswith('.swift'):
            continue
        path = os.path.join(root, name)
        lines = open(path, encoding='utf-8').read().split('\n')
        for index, line in enumerate(lines):
            match = START.match(line)
            if not match or '{' not in line:
                continue
            indent = match.group(1)
            # The body ends at the first later line that closes at the same indentation.
            for end in range(index + 1, len(lines)):
                if lines[end].startswith(indent + '}') and not lines[end].startswith(indent + '} ') or lines[end] == indent + '}':
                    break
            else:
                continue
            if line.rstrip().endswith('}'):
                continue
            # A declaration marked "length-exempt:" in the comments just above it is a table.
            if any('length-exempt:' in above for above in lines[max(0, index - 8):index]):
                continue
            length = logic_lines(lines[index + 1:end])
            if length > LIMIT:
                failures.append(f'{path}:{index + 1}: {line.strip()[:70]} — {length} lines')
for failure in sorted(failures):
    print(failure)
if failures:
    print(f'{len(failures)} function(s) longer than {LIMIT} lines of logic')
    sys.exit(1)
print(f'no function longer than {LIMIT} lines of logic')
