//! The Rust side of the libbytes benchmarks (README, "Benchmarks"): the
//! workloads of `benches/bench.c` with the crate `bytes` (the dev-dependency
//! `bytes_crate`), and with `Arc<Vec<u8>>` + a range where that fits. Same
//! data, same operations, same command line:
//!
//! ```text
//! crate_bytes list                     the workload/implementation pairs
//! crate_bytes W IMPL time ITERS ROUNDS prints "allocs/op bytes/op" and the
//!                                      ns/op of each round
//! crate_bytes W IMPL count ITERS       one warm-up op, then ITERS ops
//! ```
//!
//! IMPL is "crate" or "arc". Results go through `black_box`, so no work is
//! optimised away; allocations are counted by the global allocator below.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::ops::Range;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Barrier};
use std::time::Instant;

use bytes_crate::{Buf, BufMut, Bytes, BytesMut};

/// Counts allocations while `COUNTING` is set, as `benches/alloc_count.c`
/// does for C: each alloc, and each realloc as an allocation of its new
/// size.
struct CountingAlloc;

static COUNTING: AtomicBool = AtomicBool::new(false);
static ALLOC_CALLS: AtomicUsize = AtomicUsize::new(0);
static ALLOC_BYTES: AtomicUsize = AtomicUsize::new(0);

fn note(size: usize) {
    if COUNTING.load(Relaxed) {
        ALLOC_CALLS.fetch_add(1, Relaxed);
        ALLOC_BYTES.fetch_add(size, Relaxed);
    }
}

// SAFETY: forwards every call to `System` unchanged.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: the caller's contract, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: CountingAlloc = CountingAlloc;

// ---- Data, as in bench.c ---------------------------------------------------

/// Workload 1: 124 bytes, as a recv(2) would deliver them.
const REQUEST: &[u8] = b"GET /api/v1/items?id=4242 HTTP/1.1\r\n\
Host: example.com\r\n\
User-Agent: curl/8.5.0\r\n\
Accept: text/html\r\n\
Connection: keep-alive\r\n\
\r\n";
const _: () = assert!(REQUEST.len() == 124);

/// The 11 fields: method, path, version, 4 header names and values; found
/// once at start, so that only the library's work is measured.
fn find_fields() -> [Range<usize>; 11] {
    let find = |from: usize, byte: u8| from + REQUEST[from..].iter().position(|&c| c == byte).unwrap();
    let mut fields: [Range<usize>; 11] = Default::default();
    let mut p = 0;
    for (k, field) in fields[..3].iter_mut().enumerate() {
        let end = find(p, if k < 2 { b' ' } else { b'\r' });
        *field = p..end;
        p = end + if k < 2 { 1 } else { 2 };
    }
    for pair in fields[3..].chunks_mut(2) {
        let colon = find(p, b':');
        let end = find(colon, b'\r');
        pair[0] = p..colon;
        pair[1] = colon + 2..end;
        p = end + 2;
    }
    fields
}

/// Workloads 2 and 6: 1 KiB of shared storage, sliced to `SLICE`.
const SHARED_LEN: usize = 1024;
const SLICE: Range<usize> = 16..1008;

fn pattern(n: usize) -> Vec<u8> {
    (0..n).map(|k| (k * 7 + 1) as u8).collect()
}

/// Workload 2 with static bytes.
static STATIC_BYTES: [u8; SHARED_LEN] = {
    let mut bytes = [0; SHARED_LEN];
    let mut k = 0;
    while k < SHARED_LEN {
        bytes[k] = (k * 7 + 1) as u8;
        k += 1;
    }
    bytes
};

/// Workload 4: 64 KiB of length-prefixed frames arriving in 4 KiB chunks.
const STREAM_LEN: usize = 64 * 1024;
const CHUNK: usize = 4096;

fn frame_stream() -> Vec<u8> {
    let mut stream = Vec::with_capacity(STREAM_LEN);
    for i in 0.. {
        let mut len = (i * 37) % 300;
        if stream.len() + 4 + len + 4 > STREAM_LEN {
            len = STREAM_LEN - stream.len() - 4; // no room for another: fill up
        }
        stream.put_u32(len as u32);
        stream.extend_from_slice(&pattern(len));
        if stream.len() == STREAM_LEN {
            return stream;
        }
    }
    unreachable!()
}

/// Workload 5: 64-byte chunks up to 1 MiB.
const EXTEND_CHUNK: usize = 64;
const EXTEND_TOTAL: usize = 1024 * 1024;

// ---- Workloads -------------------------------------------------------------

/// One workload: `run(iters)` does `iters` operations.
type Run = Box<dyn FnMut(u64)>;

/// Workload 1 with the crate: adopt the received Vec without a copy, cut
/// the 11 fields into the caller's array (on the stack), drop everything.
fn w1_crate() -> Run {
    let fields = find_fields();
    Box::new(move |iters| {
        for _ in 0..iters {
            let req = Bytes::from(black_box(REQUEST).to_vec());
            let out: [Bytes; 11] = std::array::from_fn(|k| req.slice(fields[k].clone()));
            drop(req);
            black_box(&out);
        }
    })
}

/// Workload 1 with `Arc<Vec<u8>>` and a range per field.
fn w1_arc() -> Run {
    let fields = find_fields();
    Box::new(move |iters| {
        for _ in 0..iters {
            let req = Arc::new(black_box(REQUEST).to_vec());
            let out: [(Arc<Vec<u8>>, Range<usize>); 11] =
                std::array::from_fn(|k| (Arc::clone(&req), fields[k].clone()));
            drop(req);
            black_box(&out);
        }
    })
}

/// Heap storage for workloads 2 and 6, already cloned once: the crate
/// turns a `Vec`-backed `Bytes` into shared storage on its first clone.
fn heap_bytes() -> Bytes {
    let b = Bytes::copy_from_slice(&pattern(SHARED_LEN));
    drop(b.clone());
    b
}

fn clone_drop(shared: &Bytes, iters: u64) {
    for _ in 0..iters {
        let c = black_box(shared).clone();
        black_box(&c);
    }
}

/// The range comes through `black_box`, as the C side's arrives at run
/// time: a range the compiler can see would let it drop the range checks.
fn slice_drop(shared: &Bytes, iters: u64) {
    for _ in 0..iters {
        let s = black_box(shared).slice(black_box(SLICE));
        black_box(&s);
    }
}

/// clone + split_to + both drops, the split point at run time.
fn split_drop(shared: &Bytes, iters: u64) {
    for _ in 0..iters {
        let mut c = black_box(shared).clone();
        let front = c.split_to(black_box(SLICE.start));
        black_box(&front);
        black_box(&c);
    }
}

/// Foreign memory whose owner the crate counts (`Bytes::from_owner`), the
/// crate's counterpart of a custom vtable over a pool slot.
fn owner_bytes() -> Bytes {
    Bytes::from_owner(pattern(SHARED_LEN))
}

fn w2_arc(slice: bool) -> Run {
    let shared = Arc::new(pattern(SHARED_LEN));
    let range = if slice { SLICE } else { 0..SHARED_LEN };
    Box::new(move |iters| {
        for _ in 0..iters {
            let c = (Arc::clone(black_box(&shared)), black_box(range.clone()));
            black_box(&c);
        }
    })
}

fn w3_crate(n: usize) -> Run {
    let src = pattern(64 * 1024);
    Box::new(move |iters| {
        for _ in 0..iters {
            let b = Bytes::copy_from_slice(black_box(&src[..n]));
            black_box(&b);
        }
    })
}

fn w4_crate() -> Run {
    let stream = frame_stream();
    Box::new(move |iters| {
        for _ in 0..iters {
            let mut rx = BytesMut::with_capacity(STREAM_LEN);
            let mut off = 0;
            while off < STREAM_LEN {
                let spare = rx.chunk_mut();
                let n = CHUNK.min(spare.len()).min(STREAM_LEN - off);
                spare[..n].copy_from_slice(&stream[off..off + n]);
                // SAFETY: the n bytes were just written.
                unsafe { rx.advance_mut(n) };
                off += n;
                while rx.len() >= 4 {
                    // Cut off every whole frame.
                    let len = 4 + u32::from_be_bytes(rx[..4].try_into().unwrap()) as usize;
                    if rx.len() < len {
                        break;
                    }
                    let frame = rx.split_to(len).freeze();
                    black_box(&frame);
                }
            }
            black_box(&rx);
        }
    })
}

/// Workload 8: the stream of workload 4 in pieces of 1 to 4096 bytes (the
/// pseudo-random sequence of bench.c), decoded with `BytesMut` + `Buf` as a
/// codec does; the receive buffer stays warm across operations.
fn piece_lengths() -> Vec<usize> {
    let mut x: u32 = 2463534242;
    let mut pieces = Vec::new();
    let mut off = 0;
    while off < STREAM_LEN {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        let n = (1 + x as usize % 4096).min(STREAM_LEN - off);
        pieces.push(n);
        off += n;
    }
    pieces
}

fn w8_crate() -> Run {
    let stream = frame_stream();
    let pieces = piece_lengths();
    let mut rx = BytesMut::with_capacity(8192);
    Box::new(move |iters| {
        for _ in 0..iters {
            let mut off = 0;
            for &n in &pieces {
                rx.reserve(n);
                rx.extend_from_slice(&stream[off..off + n]);
                off += n;
                while rx.len() >= 4 {
                    let len = u32::from_be_bytes(rx[..4].try_into().unwrap()) as usize;
                    if rx.len() - 4 < len {
                        break;
                    }
                    rx.advance(4);
                    let frame = rx.split_to(len).freeze();
                    black_box(&frame);
                }
            }
        }
    })
}

fn w5_crate() -> Run {
    let chunk = pattern(EXTEND_CHUNK);
    Box::new(move |iters| {
        for _ in 0..iters {
            let mut m = BytesMut::new();
            for _ in 0..EXTEND_TOTAL / EXTEND_CHUNK {
                m.extend_from_slice(black_box(&chunk));
            }
            black_box(&m);
        }
    })
}

/// Each of two threads does `iters` clone+drop pairs of one storage at
/// the same time.
fn w6_crate() -> Run {
    let shared = heap_bytes();
    Box::new(move |iters| {
        let start_line = Barrier::new(2);
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    start_line.wait();
                    clone_drop(&shared, iters);
                });
            }
        });
    })
}

/// Workload 7 with the crate: it has no file mapping, so the file is read
/// (`std::fs::read`: one read(2) into a buffer of the file's size) and the
/// buffer adopted. The sparse files are made by `benches/run.py`.
fn w7_crate(name: &str) -> Run {
    let dir = std::env::var("BENCH_DIR").expect("BENCH_DIR is set by benches/run.py");
    let path = std::path::Path::new(&dir).join(name);
    Box::new(move |iters| {
        for _ in 0..iters {
            let b = Bytes::from(std::fs::read(&path).expect("read the sparse file"));
            black_box(&b);
        }
    })
}

const CRATE: &str = "crate bytes (Rust)";
const ARC: &str = "Arc<Vec<u8>>+range (Rust)";
const CRATE_OWNER: &str = "crate bytes, Bytes::from_owner (Rust)";

/// The workload/implementation pairs: (workload, impl, label, setup), as
/// the table of bench.c.
type Bench = (&'static str, &'static str, &'static str, fn() -> Run);
const BENCHES: &[Bench] = &[
    ("w1-parse", "crate", CRATE, w1_crate),
    ("w1-parse", "arc", ARC, w1_arc),
    ("w2-clone-heap", "crate", CRATE, || {
        let b = heap_bytes();
        Box::new(move |iters| clone_drop(&b, iters))
    }),
    ("w2-clone-heap", "arc", ARC, || w2_arc(false)),
    ("w2-slice-heap", "crate", CRATE, || {
        let b = heap_bytes();
        Box::new(move |iters| slice_drop(&b, iters))
    }),
    ("w2-slice-heap", "arc", ARC, || w2_arc(true)),
    ("w2-clone-static", "crate", CRATE, || {
        Box::new(|iters| clone_drop(&Bytes::from_static(&STATIC_BYTES), iters))
    }),
    ("w2-slice-static", "crate", CRATE, || {
        Box::new(|iters| slice_drop(&Bytes::from_static(&STATIC_BYTES), iters))
    }),
    ("w2-split-heap", "crate", CRATE, || {
        let b = heap_bytes();
        Box::new(move |iters| split_drop(&b, iters))
    }),
    ("w2-split-static", "crate", CRATE, || {
        Box::new(|iters| split_drop(&Bytes::from_static(&STATIC_BYTES), iters))
    }),
    ("w2-clone-custom", "crate", CRATE_OWNER, || {
        let b = owner_bytes();
        Box::new(move |iters| clone_drop(&b, iters))
    }),
    ("w2-slice-custom", "crate", CRATE_OWNER, || {
        let b = owner_bytes();
        Box::new(move |iters| slice_drop(&b, iters))
    }),
    ("w3-copy-16", "crate", CRATE, || w3_crate(16)),
    ("w3-copy-1k", "crate", CRATE, || w3_crate(1024)),
    ("w3-copy-64k", "crate", CRATE, || w3_crate(64 * 1024)),
    ("w4-frames-64k", "crate", CRATE, w4_crate),
    ("w5-extend-1m", "crate", CRATE, w5_crate),
    ("w6-threads-clone", "crate", CRATE, w6_crate),
    ("w7-file-1m", "crate", CRATE, || w7_crate("sparse-1m")),
    ("w7-file-1g", "crate", CRATE, || w7_crate("sparse-1g")),
    ("w8-frames-pieces", "crate", CRATE, w8_crate),
];

/// Sets up one workload; `None` for a pair not in `BENCHES`.
fn make(workload: &str, imp: &str) -> Option<Run> {
    let found = BENCHES.iter().find(|b| b.0 == workload && b.1 == imp);
    found.map(|&(_, _, _, setup)| setup())
}

/// A warm-up round, a round counting allocations, then `rounds` timed
/// rounds; prints the allocations and bytes per op, then each round's
/// ns/op (benches/run.py takes the median over several processes).
fn time_rounds(run: &mut Run, iters: u64, rounds: usize) {
    run(iters);

    COUNTING.store(true, Relaxed);
    run(iters);
    COUNTING.store(false, Relaxed);
    let allocs = ALLOC_CALLS.load(Relaxed) as f64 / iters as f64;
    let bytes = ALLOC_BYTES.load(Relaxed) as f64 / iters as f64;
    print!("{allocs:.3} {bytes:.1}");

    for _ in 0..rounds {
        let t0 = Instant::now();
        run(iters);
        print!(" {:.3}", t0.elapsed().as_nanos() as f64 / iters as f64);
    }
    println!();
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args[..] {
        ["list"] => {
            for (workload, imp, label, _) in BENCHES {
                println!("{workload}\t{imp}\t{label}");
            }
        }
        [workload, imp, "time", iters, rounds] => {
            let mut run = make(workload, imp).expect("a workload/implementation from `list`");
            time_rounds(&mut run, iters.parse().unwrap(), rounds.parse().unwrap());
        }
        [workload, imp, "count", iters] => {
            let mut run = make(workload, imp).expect("a workload/implementation from `list`");
            run(1); // first-use costs land in the baseline run too
            run(iters.parse().unwrap());
        }
        _ => {
            eprintln!("usage: crate_bytes list | W IMPL time ITERS ROUNDS | W IMPL count ITERS");
            std::process::exit(2);
        }
    }
}
