/*
 * alloc_count.h - the allocation counters of the C bench programs; see
 * alloc_count.c for what is counted.
 */
#ifndef BENCH_ALLOC_COUNT_H
#define BENCH_ALLOC_COUNT_H

#include <stdatomic.h>
#include <stddef.h>

/* While set, allocations add to the counters below. */
extern atomic_bool alloc_counting;
/* Allocations, and bytes requested by them, while counting was on. */
extern atomic_size_t alloc_calls;
extern atomic_size_t alloc_bytes;

#endif /* BENCH_ALLOC_COUNT_H */
