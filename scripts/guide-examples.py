#!/usr/bin/env python3
"""Compiles and runs the code blocks of docs/guide.md, so they cannot rot.

    guide-examples.py GUIDE LIBBYTES_SO

Fenced blocks tagged `c` are translation units: each must compile with
-Wall -Wextra -Wpedantic -Werror against include/bytes.h. Blocks tagged
`c program` (or `cpp program`) are whole programs: they are also linked
against LIBBYTES_SO and run in an empty directory, and must exit 0.
Blocks in other languages (sh, cmake) are not run. Fails if the guide has
no program at all.
"""
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WARNINGS = ["-Wall", "-Wextra", "-Wpedantic", "-Werror"]


def blocks(text):
    for m in re.finditer(r"^```([^\n]*)\n(.*?)^```\s*$", text, re.S | re.M):
        info = m.group(1).split()
        line = text.count("\n", 0, m.start()) + 1
        yield line, info, m.group(2)


def main(guide, lib):
    lib = os.path.abspath(lib)
    with open(guide) as f:
        text = f.read()
    ran = compiled = 0
    with tempfile.TemporaryDirectory() as work:
        libdir = os.path.join(work, "lib")
        os.mkdir(libdir)
        soname = subprocess.run(["objdump", "-p", lib], capture_output=True, text=True, check=True).stdout
        names = {"libbytes.so"} | set(re.findall(r"SONAME\s+(\S+)", soname))
        for name in names:
            os.symlink(lib, os.path.join(libdir, name))
        for line, info, code in blocks(text):
            if not info or info[0] not in ("c", "cpp"):
                continue
            cpp = info[0] == "cpp"
            program = "program" in info[1:]
            src = os.path.join(work, "block%d.%s" % (line, "cpp" if cpp else "c"))
            with open(src, "w") as f:
                f.write(code)
            compiler = ["c++", "-std=c++17"] if cpp else ["cc", "-std=c11"]
            cmd = compiler + WARNINGS + ["-I", os.path.join(ROOT, "include"), src]
            exe = src + ".out"
            if program:
                cmd += ["-o", exe, "-L", libdir, "-lbytes", "-Wl,-rpath," + libdir]
            else:
                cmd += ["-c", "-o", src + ".o"]
            r = subprocess.run(cmd, capture_output=True, text=True)
            if r.returncode != 0:
                print("%s:%d: the block does not compile:\n%s" % (guide, line, r.stderr), file=sys.stderr)
                return 1
            compiled += 1
            if program:
                rundir = tempfile.mkdtemp(dir=work)
                r = subprocess.run([exe], cwd=rundir, capture_output=True, text=True, timeout=60)
                if r.returncode != 0:
                    print("%s:%d: the program exits %d:\n%s%s" % (guide, line, r.returncode, r.stdout, r.stderr),
                          file=sys.stderr)
                    return 1
                ran += 1
    if ran == 0:
        print("%s: no `c program` block" % guide, file=sys.stderr)
        return 1
    print("guide: %d blocks compile with %s, %d programs run" % (compiled, " ".join(WARNINGS), ran))
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
