#!/usr/bin/env python3
"""Builds the fuzz seed corpora from generated storage groups and, when present, the real
files of ../shared/corpus/real (read in place, never copied into the project).

usage: make-seeds.py GENERATED-DIR SEED-DIR [REAL-CORPUS-DIR]
"""
import os
import struct
import sys

generated, seeds = sys.argv[1], sys.argv[2]
real = sys.argv[3] if len(sys.argv) > 3 and os.path.isdir(sys.argv[3]) else None

def put(target, name, data):
    os.makedirs(os.path.join(seeds, target), exist_ok=True)
    with open(os.path.join(seeds, target, name), "wb") as out:
        out.write(data)

def files(root):
    for base, _, names in os.walk(root):
        for name in sorted(names):
            yield os.path.join(base, name)

def page_size_of(header):
    size = struct.unpack_from("<I", header, 236)[0] if len(header) >= 240 else 0
    return size or 4096

count = 0
for root in [generated] + ([real] if real else []):
    for path in files(root):
        name = os.path.basename(path)
        tag = f"{count:04d}-{name}"
        count += 1
        data = open(path, "rb").read(1 << 20)
        lower = name.lower()
        if lower.endswith((".edb", ".dat", ".mdb", ".db")):
            put("database-header", tag, data[:65536])
            size = page_size_of(data)
            index = [4096, 8192, 16384, 32768].index(size) if size in (4096, 8192, 16384, 32768) else 0
            for physical in (2, 3, 5):
                page = data[physical * size:(physical + 1) * size]
                if len(page) == size and any(page):
                    put("page", f"{tag}-{physical}", bytes([index]) + struct.pack("<I", physical - 1) + page)
            # tree-page: the database root, its space trees, the catalog root and a few more.
            for physical in (2, 3, 4, 5, 6, 15, 16):
                page = data[physical * size:(physical + 1) * size]
                if len(page) == size and any(page):
                    put("tree-page", f"{tag}-{physical}", bytes([index]) + page)
        elif lower.endswith((".log", ".jtx")) and len(data) >= 4096:
            put("log-header", tag, data[:4096])
            major = struct.unpack_from("<I", data, 32)[0]
            put("v7-body" if major == 7 else "v8-body", tag, data[:262144])
            put("records", tag, data[:262144])
        elif lower.endswith((".chk", ".jcp")):
            put("checkpoint", tag, data[:8192])
for name in ["E00.log", "E000001A.log", "E000000001A.log", "edb0000D.log", "SRUtmp.log", "SRUres00002.jrs",
             "res1.log", "E00.chk", "edb.jcp", "E00FFFFF.jtx", "notes.txt"]:
    put("file-name", name, name.encode())
print(f"seeds written to {seeds}")
