#!/usr/bin/env python3
"""Runs the benchmark programs that scripts/bench.sh built and writes the
table (see README, "Benchmarks").

Each program runs one workload with one implementation per process
(`PROG W IMPL time ITERS ROUNDS`, `PROG W IMPL count ITERS`, `PROG list`):
benches/bench.c for C, benches/crate_bytes.rs for Rust. This script owns
the iteration counts, so every implementation of a workload runs the same
number of operations. First every row is timed, in passes over all rows
(one process at a time); then every row runs under callgrind (in parallel:
instruction counts do not depend on the load) twice, with N operations and
with 0, and the difference divided by N is its instructions per operation.
"""
import argparse
import concurrent.futures
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

# (workload, description, iterations per timed round, rounds, iterations
# under callgrind[, {implementation: those three for it}]). A round should
# take some milliseconds; the one exception to equal counts is reading
# 1 GiB, which takes most of a second per operation.
WORKLOADS = [
    ("w1-parse", "1 request parse: 124 B adopted, 11 slices, drop", 30000, 9, 1000),
    ("w2-clone-heap", "2 clone+drop, heap storage (1 KiB)", 200000, 9, 10000),
    ("w2-slice-heap", "2 slice+drop, heap storage (1 KiB)", 200000, 9, 10000),
    ("w2-clone-static", "2 clone+drop, static bytes", 200000, 9, 10000),
    ("w2-slice-static", "2 slice+drop, static bytes", 200000, 9, 10000),
    ("w2-split-heap", "2 clone+split_to+2 drops, heap storage", 200000, 9, 10000),
    ("w2-split-static", "2 clone+split_to+2 drops, static bytes", 200000, 9, 10000),
    ("w2-clone-custom", "2 clone+drop, custom vtable (crate: from_owner)", 200000, 9, 10000),
    ("w2-slice-custom", "2 slice+drop, custom vtable (crate: from_owner)", 200000, 9, 10000),
    ("w3-copy-16", "3 copy_from 16 B + drop", 200000, 9, 10000),
    ("w3-copy-1k", "3 copy_from 1 KiB + drop", 200000, 9, 10000),
    ("w3-copy-64k", "3 copy_from 64 KiB + drop", 2000, 9, 100),
    ("w4-frames-64k", "4 frame decoder: 64 KiB in 4 KiB chunks, 428 frames", 500, 9, 20),
    ("w5-extend-1m", "5 extend_from_slice 64 B x 16384 (1 MiB)", 50, 9, 3),
    ("w6-threads-clone", "6 two threads clone+drop one storage at once (op: a pair on each)", 200000, 9, 10000),
    ("w7-file-1m", "7 whole file, 1 MiB sparse", 300, 7, 20),
    ("w7-file-1g", "7 whole file, 1 GiB sparse (reads: 3 rounds of 1 op)", 1, 3, 1,
     {"libbytes": (200, 7, 20)}),
    ("w8-frames-pieces", "8 frame decoder: 64 KiB in 1..4096-byte pieces, 428 frames, warm queue", 500, 9, 20),
]

# The rows of each workload, in this order: (program, implementation).
# The shared build does not run the baselines, which do not depend on how
# libbytes is linked; "batch" is workload 1 with bytes_slice_many and
# bytes_drop_many.
SOURCES = [("c_static", "libbytes"), ("c_shared", "libbytes"), ("c_inline", "libbytes"), ("c_static", "batch"),
           ("c_shared", "batch"), ("rust", "crate"), ("c_static", "floor"), ("c_static", "baseline"),
           ("rust", "arc")]
REFERENCE = ("rust", "crate")  # the row every ratio is relative to
PASSES = 3


def run(cmd, env=None):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout


def listing(prog):
    """{(workload, impl): label} of one program."""
    rows = (line.split("\t") for line in run([prog, "list"]).splitlines())
    return {(w, i): label for w, i, label in rows}


def callgrind_ir(prog, workload, impl, iters, out_file):
    """Instructions executed by `PROG W IMPL count ITERS` (all threads)."""
    env = dict(os.environ, LD_BIND_NOW="1")  # no lazy symbol binding in the ops
    run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out_file,
         prog, workload, impl, "count", str(iters)], env=env)
    with open(out_file) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise RuntimeError("no totals in " + out_file)


def instr_per_op(prog, workload, impl, iters, out_dir):
    """(Ir(N ops) - Ir(0 ops)) / N; the N-ops profile is kept."""
    slug = re.sub(r"[^a-z0-9]+", "-", f"{workload} {os.path.basename(prog)} {impl}".lower())
    full = callgrind_ir(prog, workload, impl, iters, os.path.join(out_dir, slug + ".out"))
    base_file = os.path.join(out_dir, slug + ".base.out")
    base = callgrind_ir(prog, workload, impl, 0, base_file)
    os.remove(base_file)
    return (full - base) / iters


def fmt(x, ratio=False):
    if x is None:
        return ""
    if ratio:
        return f"{x:.2f}x"
    if abs(x - round(x)) < 0.005 or x >= 100:
        return f"{x:,.0f}"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def goals(rows):
    """The goals, checked on the libbytes C static rows."""
    by = {(r["workload"], r["source"], r["impl"]): r for r in rows}
    def lib(w):
        return by.get((w, "c_static", "libbytes"))

    lines = []

    def check(name, ok, figure):
        lines.append(f"- {'met' if ok else '**missed**'}: {name}: {figure}")

    def figures(r):
        return f"time {fmt(r['ratio'], True)}, instructions {fmt(r['iratio'], True) or 'n/a'}"

    r = lib("w1-parse")
    if r and r["ratio"] is not None:
        check("w1 time <= 0.8x crate", r["ratio"] <= 0.8, figures(r))
        check("w1 <= 2 allocations/parse (receive buffer + shared header; "
              "the caller's array is on the stack)", r["allocs"] <= 2, fmt(r["allocs"]))
    # Per-handle calls at the hardware floor: instructions (deterministic)
    # against the crate inlined in Rust.
    for w in ("w2-clone-heap", "w2-slice-heap", "w2-clone-static", "w2-slice-static",
              "w2-split-heap", "w2-split-static"):
        r = lib(w)
        if r and r["iratio"] is not None:
            limit = 1.0 if w in ("w2-clone-heap", "w2-split-heap") else 1.1
            check(f"{w} at most {limit}x the crate's instructions", r["iratio"] <= limit, figures(r))
    # Custom vtables no slower than before the fast paths (callgrind, the
    # release of 2026-11-22: clone+drop 99, slice+drop 141 instructions).
    for w, before in (("w2-clone-custom", 99), ("w2-slice-custom", 141)):
        r = lib(w)
        if r and r["instr"] is not None:
            check(f"{w} at most {before} instructions", r["instr"] <= before, fmt(r["instr"]))
    floor = by.get(("w1-parse", "c_static", "floor"))
    for src, how in (("c_static", ""), ("c_inline", " with bytes_inline.h")):
        r = by.get(("w1-parse", src, "libbytes"))
        if floor and r and r["instr"] and floor["instr"]:
            ti, tt = r["instr"] / floor["instr"], r["ns"] / floor["ns"]
            check(f"w1 per-handle parse{how} within 5% of the no-library floor (time and instructions)",
                  ti <= 1.05 and tt <= 1.05, f"instructions {fmt(ti, True)}, time {fmt(tt, True)}")
    # With bytes_inline.h (BYTES_INLINE), against the crate's instructions.
    for w in ("w2-clone-heap", "w2-slice-heap", "w2-clone-static", "w2-slice-static",
              "w2-split-heap", "w2-split-static"):
        r = by.get((w, "c_inline", "libbytes"))
        if r and r["iratio"] is not None:
            check(f"{w} inline at most 0.9x the crate's instructions", r["iratio"] <= 0.9, figures(r))
    batch = by.get(("w1-parse", "c_static", "batch"))
    if batch and batch["ratio"] is not None:
        check("w1 batch parse at most 0.4x the crate's time", batch["ratio"] <= 0.4, figures(batch))
    copy, plain = lib("w3-copy-16"), by.get(("w3-copy-16", "c_static", "baseline"))
    if copy and plain:
        tt = copy["ns"] / plain["ns"]
        ti = copy["instr"] / plain["instr"] if copy["instr"] and plain["instr"] else None
        check("w3 copy_from 16 B + drop within 1.3x of malloc+memcpy+free (instructions and time)",
              tt <= 1.3 and (ti is None or ti <= 1.3),
              f"instructions {fmt(ti, True) or 'n/a'}, time {fmt(tt, True)}")
    for w in ("w2-clone-static", "w2-slice-static"):
        if lib(w):
            check(f"{w} 0 allocations", lib(w)["allocs"] == 0, fmt(lib(w)["allocs"]))
    for w in ("w3-copy-16", "w3-copy-1k", "w3-copy-64k"):
        if lib(w):
            check(f"{w} 1 allocation per copy", lib(w)["allocs"] == 1, fmt(lib(w)["allocs"]))
    for w in ("w4-frames-64k", "w5-extend-1m"):
        r = lib(w)
        if r and r["ratio"] is not None:
            check(f"{w} within 1.1x of crate time", r["ratio"] <= 1.1, figures(r))
    r = lib("w8-frames-pieces")
    if r:
        check("w8-frames-pieces 0 allocations once warm", r["allocs"] == 0, fmt(r["allocs"]))
        if r["ratio"] is not None:
            ok = r["ratio"] <= 1.1 and (r["iratio"] is None or r["iratio"] <= 1.1)
            check("w8-frames-pieces within 1.1x of crate time and instructions", ok, figures(r))
    small, big = lib("w7-file-1m"), lib("w7-file-1g")
    if small and big:
        growth = big["ns"] / small["ns"]
        check("w7 bytes_from_file constant time in file size (1 GiB vs 1 MiB, "
              "within 1.5x)", growth <= 1.5, f"{fmt(growth, True)} the time for 1024x the size")
    return lines


def main():
    ap = argparse.ArgumentParser()
    for name in ("--c-static", "--c-shared", "--c-inline", "--rust", "--callgrind-dir"):
        ap.add_argument(name, required=True)
    ap.add_argument("only", nargs="*", help="workload name prefixes (default: all)")
    args = ap.parse_args()
    progs = {"c_static": args.c_static, "c_shared": args.c_shared, "c_inline": args.c_inline,
             "rust": args.rust}
    labels = {src: listing(p) for src, p in progs.items()}
    callgrind = os.environ.get("BENCH_NO_CALLGRIND") != "1"
    workloads = [w for w in WORKLOADS if not args.only or w[0].startswith(tuple(args.only))]
    load_before = os.getloadavg()[0]  # timings are only as good as the machine is quiet

    # Workload 7's sparse files, in /tmp, deleted at the end.
    tmp = tempfile.mkdtemp(prefix="libbytes-bench-", dir="/tmp")
    env = dict(os.environ, BENCH_DIR=tmp)
    try:
        for name, size in (("sparse-1m", 1 << 20), ("sparse-1g", 1 << 30)):
            with open(os.path.join(tmp, name), "wb") as f:
                f.truncate(size)

        rows = []
        for workload, desc, *counts in workloads:
            for src, impl in SOURCES:
                label = labels[src].get((workload, impl))
                if label is None or (src in ("c_shared", "c_inline") and impl != "libbytes"):
                    continue
                overrides = counts[3] if len(counts) > 3 else {}
                iters, rounds, cg_iters = overrides.get(impl, counts[:3])
                rows.append(dict(workload=workload, desc=desc, source=src, impl=impl,
                                 label=label, iters=iters, rounds=rounds, cg_iters=cg_iters,
                                 ns_rounds=[], instr=None))

        # The rounds of each row are spread over PASSES processes, one pass
        # over all rows after the other, so that a change in the machine's
        # load hits every row alike.
        for n in range(PASSES):
            for r in rows:
                per_pass = r["rounds"] // PASSES + (n < r["rounds"] % PASSES)
                if per_pass == 0:
                    continue
                print(f"timing, pass {n + 1}/{PASSES}: {r['workload']}: {r['label']}",
                      file=sys.stderr, flush=True)
                out = run([progs[r["source"]], r["workload"], r["impl"], "time",
                           str(r["iters"]), str(per_pass)], env).split()
                r["allocs"], r["bytes"] = float(out[0]), float(out[1])
                r["ns_rounds"] += map(float, out[2:])
        for r in rows:
            r["ns"] = statistics.median(r["ns_rounds"])

        if callgrind:
            os.makedirs(args.callgrind_dir, exist_ok=True)
            print(f"callgrind: {len(rows)} rows ...", file=sys.stderr, flush=True)
            os.environ["BENCH_DIR"] = tmp
            with concurrent.futures.ThreadPoolExecutor(os.cpu_count() or 1) as pool:
                jobs = {pool.submit(instr_per_op, progs[r["source"]], r["workload"], r["impl"],
                                    r["cg_iters"], args.callgrind_dir): r for r in rows}
                for job, r in jobs.items():
                    r["instr"] = job.result()
    finally:
        shutil.rmtree(tmp)

    # Ratios to the crate's row of the same workload.
    ref = {r["workload"]: r for r in rows if (r["source"], r["impl"]) == REFERENCE}
    for r in rows:
        c = ref.get(r["workload"])
        r["ratio"] = r["ns"] / c["ns"] if c else None
        r["iratio"] = r["instr"] / c["instr"] if c and c["instr"] and r["instr"] else None

    table = ["| workload | implementation | ns/op (median) | vs crate | allocs/op | bytes/op "
             "| instr/op | instr vs crate |",
             "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        table.append(f"| {r['desc']} | {r['label']} | {fmt(r['ns'])} | {fmt(r['ratio'], True)} "
                     f"| {fmt(r['allocs'])} | {fmt(r['bytes'])} | {fmt(r['instr'])} "
                     f"| {fmt(r['iratio'], True)} |")
    print("\n".join(table))
    if args.only:
        return

    def version(cmd):
        return run(cmd).splitlines()[0]
    cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                if line.startswith("model name")), platform.machine())
    rounds = sorted({w[3] for w in workloads})
    load = "load average before the run: %.2f" % load_before
    text = f"""# libbytes benchmark results

Written by `bash scripts/bench.sh` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC:
{cpu}, {os.cpu_count()} cores, Linux {platform.release()}; {version(["rustc", "-V"])};
{version(["cc", "--version"])}; {version(["valgrind", "--version"])}; {load}.

{chr(10).join(table)}

- **ns/op**: median over {"/".join(map(str, rounds))} rounds of (wall time of the round / operations),
  taken in {PASSES} passes over all rows, each process after a warm-up round;
  every implementation of a workload runs the same number of operations
  per round (benches/run.py). Noisy on a busy machine.
- **vs crate**: ns/op relative to the crate `bytes` row of the same workload.
- **allocs/op, bytes/op**: counted in one round after the warm-up, by
  interposing malloc/calloc/realloc/posix_memalign in the C programs
  (which sees libbytes' own allocations) and by a counting global
  allocator in Rust. A realloc counts as one allocation of its new size.
  Workload 1 counts the receive buffer (1 allocation); the caller's array
  of 11 handles is on the stack (0).
- **instr/op**: instructions (callgrind `Ir`, all threads) of a run of N
  operations minus a run of 0, divided by N. Deterministic: compare these
  across machines and commits. The N-operation profiles are kept in
  `build/bench/callgrind/` for `callgrind_annotate`.
- libbytes C static/shared: `benches/bench.c` (gcc -O2) linked against
  `libbytes.a` / `libbytes.so` (release, LTO). Baselines: plain C that
  copies every clone, slice, field and frame into a block of its own
  (malloc+memcpy), read(2) into a malloc'ed buffer, and `Arc<Vec<u8>>` with
  a range per handle. Workload 7 with the crate, which cannot map files,
  is `Bytes::from(std::fs::read(..))`.

## Goals, on the libbytes C static rows

{chr(10).join(goals(rows))}
"""
    with open("benches/results.md", "w") as f:
        f.write(text)
    # The README's Benchmarks section shows the same table, between markers.
    with open("README.md") as f:
        readme = f.read()
    start, end = "<!-- bench-table:start -->\n", "<!-- bench-table:end -->"
    head, rest = readme.split(start, 1)
    with open("README.md", "w") as f:
        f.write(head + start + "\n".join(table) + "\n" + end + rest.split(end, 1)[1])
    print("\nwritten to benches/results.md and README.md", file=sys.stderr)


if __name__ == "__main__":
    main()
