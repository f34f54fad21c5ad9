#!/usr/bin/env python3
"""Turns the ```cpp blocks of docs/api.md into one C++ program: #include and using lines go to
the top, the first block opens the database in main(), every later block runs in its own
scope, in page order. Blocks that are CMake or shell are not cpp blocks and are left out.

usage: extract_api_examples.py docs/api.md OUT.cc
"""
import re
import sys


def main():
    src, out = sys.argv[1:3]
    with open(src, encoding="utf-8") as f:
        text = f.read()
    blocks = re.findall(r"^```cpp\n(.*?)^```", text, flags=re.S | re.M)
    if len(blocks) < 2:
        sys.exit(f"{src}: expected several cpp blocks, found {len(blocks)}")
    head, body = [], []
    for i, block in enumerate(blocks):
        lines = block.splitlines()
        top = [l for l in lines if l.startswith("#include") or l.startswith("using namespace")]
        rest = [l for l in lines if l not in top]
        head += [l for l in top if l not in head]
        body.append(f"  // docs/api.md, block {i + 1}")
        indent = "  " if i == 0 else "    "
        if i > 0:
            body.append("  {")
        body += [indent + l if l else "" for l in rest]
        if i > 0:
            body.append("  }")
    program = ["// Generated from docs/api.md by tests/docs/extract_api_examples.py; do not edit."]
    program += [l for l in head if l.startswith("#include")]
    program += [l for l in head if l.startswith("using namespace")]
    program += ["", "int main(int argc, char** argv) {",
                "  if (argc < 2) return 1;"] + body + ["  return 0;", "}", ""]
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(program))


if __name__ == "__main__":
    main()
