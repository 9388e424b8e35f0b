/*
 * Readers and writers from C: the static inline load/store helpers on
 * known byte patterns (the same bytes on any host), and the statuses of
 * the consuming bytes_get_* and appending bytes_mut_put_* functions. The
 * values themselves are compared with the crate `bytes` in Rust
 * (src/ffi/rw/tests.rs).
 */
#include "check.h"

#include <stdint.h>

static const uint8_t pattern[8] = {0x81, 0x02, 0x83, 0x04, 0x85, 0x06, 0x87, 0x08};

static void test_load_store(void)
{
    uint8_t buf[9];
    /* Unaligned on purpose: buf + 1. */
    CHECK(bytes_load_u16_be(pattern) == 0x8102u);
    CHECK(bytes_load_u16_le(pattern) == 0x0281u);
    CHECK(bytes_load_u32_be(pattern) == 0x81028304u);
    CHECK(bytes_load_u32_le(pattern) == 0x04830281u);
    CHECK(bytes_load_u64_be(pattern) == UINT64_C(0x8102830485068708));
    CHECK(bytes_load_u64_le(pattern) == UINT64_C(0x0887068504830281));
    CHECK(bytes_load_i16_be(pattern) == (int16_t)-32510);
    CHECK(bytes_load_i16_le(pattern + 1) == (int16_t)-31998);
    CHECK(bytes_load_i32_be(pattern) == (int32_t)-2130541820);
    CHECK(bytes_load_i32_le(pattern + 3) == (int32_t)0x87068504);
    CHECK(bytes_load_i64_be(pattern) == (int64_t)UINT64_C(0x8102830485068708));
    CHECK(bytes_load_i64_le(pattern) == INT64_C(0x0887068504830281));

    static const uint8_t one_be[8] = {0x3f, 0xf0, 0, 0, 0, 0, 0, 0};
    static const uint8_t one_le[8] = {0, 0, 0, 0, 0, 0, 0xf0, 0x3f};
    static const uint8_t half_be[4] = {0x3f, 0x00, 0x00, 0x00};
    static const uint8_t half_le[4] = {0x00, 0x00, 0x00, 0x3f};
    CHECK(bytes_load_f64_be(one_be) == 1.0);
    CHECK(bytes_load_f64_le(one_le) == 1.0);
    CHECK(bytes_load_f32_be(half_be) == 0.5f);
    CHECK(bytes_load_f32_le(half_le) == 0.5f);

    memset(buf, 0, sizeof buf);
    bytes_store_u16_be(buf + 1, 0x8102u);
    CHECK(memcmp(buf + 1, pattern, 2) == 0);
    bytes_store_u16_le(buf + 1, 0x0281u);
    CHECK(memcmp(buf + 1, pattern, 2) == 0);
    bytes_store_u32_be(buf + 1, 0x81028304u);
    CHECK(memcmp(buf + 1, pattern, 4) == 0);
    bytes_store_u32_le(buf + 1, 0x04830281u);
    CHECK(memcmp(buf + 1, pattern, 4) == 0);
    bytes_store_u64_be(buf + 1, UINT64_C(0x8102830485068708));
    CHECK(memcmp(buf + 1, pattern, 8) == 0);
    bytes_store_u64_le(buf + 1, UINT64_C(0x0887068504830281));
    CHECK(memcmp(buf + 1, pattern, 8) == 0);
    bytes_store_i16_be(buf + 1, (int16_t)-32510);
    CHECK(memcmp(buf + 1, pattern, 2) == 0);
    bytes_store_i16_le(buf + 1, (int16_t)-31998);
    CHECK(memcmp(buf + 1, pattern + 1, 2) == 0);
    bytes_store_i32_be(buf + 1, (int32_t)-2130541820);
    CHECK(memcmp(buf + 1, pattern, 4) == 0);
    bytes_store_i32_le(buf + 1, (int32_t)0x04830281);
    CHECK(memcmp(buf + 1, pattern, 4) == 0);
    bytes_store_i64_be(buf + 1, (int64_t)UINT64_C(0x8102830485068708));
    CHECK(memcmp(buf + 1, pattern, 8) == 0);
    bytes_store_i64_le(buf + 1, INT64_C(0x0887068504830281));
    CHECK(memcmp(buf + 1, pattern, 8) == 0);
    bytes_store_f64_be(buf + 1, 1.0);
    CHECK(memcmp(buf + 1, one_be, 8) == 0);
    bytes_store_f64_le(buf + 1, 1.0);
    CHECK(memcmp(buf + 1, one_le, 8) == 0);
    bytes_store_f32_be(buf + 1, 0.5f);
    CHECK(memcmp(buf + 1, half_be, 4) == 0);
    bytes_store_f32_le(buf + 1, 0.5f);
    CHECK(memcmp(buf + 1, half_le, 4) == 0);
    CHECK(buf[0] == 0 && buf[4] == 0x3f && buf[7] == 0xf0 && buf[8] == 0x3f);
}

static void test_get_statuses(void)
{
    bytes_t b = {0};
    CHECK_OK(bytes_copy_from(pattern, sizeof pattern, &b));
    const uint8_t *start = bytes_ptr(&b);

    int8_t i8 = 0;
    int16_t i16 = 0;
    int32_t i32 = 7;
    int64_t i64 = 7;
    uint64_t u64 = 7;
    float f32 = 1.0f;
    double f64 = 1.0;

    CHECK_OK(bytes_get_i8(&b, &i8));
    CHECK(i8 == (int8_t)-127);
    CHECK_OK(bytes_get_i16_le(&b, &i16));
    CHECK(i16 == (int16_t)0x8302);
    CHECK_OK(bytes_get_int_be(&b, 3, &i64));
    CHECK(i64 == 0x048506);
    CHECK_EQ_SIZE(bytes_len(&b), 2);
    CHECK(bytes_ptr(&b) == start + 6);

    /* Short: ERR_RANGE, nothing consumed, *out zeroed. */
    SNAP(b);
    CHECK_STATUS(bytes_get_i32_be(&b, &i32), BYTES_ERR_RANGE);
    CHECK(i32 == 0);
    CHECK_STATUS(bytes_get_f32_le(&b, &f32), BYTES_ERR_RANGE);
    CHECK(f32 == 0.0f);
    CHECK_STATUS(bytes_get_f64_be(&b, &f64), BYTES_ERR_RANGE);
    CHECK(f64 == 0.0);
    CHECK_STATUS(bytes_get_uint_le(&b, 3, &u64), BYTES_ERR_RANGE);
    CHECK(u64 == 0);
    CHECK_UNCHANGED(b);

    /* nbytes outside 1..8: ERR_INVALID, also when enough bytes remain. */
    u64 = 7;
    CHECK_STATUS(bytes_get_uint_be(&b, 0, &u64), BYTES_ERR_INVALID);
    CHECK(u64 == 0);
    CHECK_STATUS(bytes_get_int_le(&b, 9, &i64), BYTES_ERR_INVALID);
    CHECK_UNCHANGED(b);

    /* NULL handle or out. */
    CHECK_STATUS(bytes_get_i64_le(NULL, &i64), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_get_i16_be(&b, NULL), BYTES_ERR_NULL);
    CHECK_UNCHANGED(b);

    /* Sign extension of the last two bytes 0x87 0x08 read little-endian. */
    CHECK_OK(bytes_get_int_le(&b, 2, &i64));
    CHECK(i64 == 0x0887);
    CHECK(bytes_is_empty(&b));
    bytes_drop(&b);

    bytes_t neg = {0};
    CHECK_OK(bytes_copy_from(pattern, 3, &neg));
    CHECK_OK(bytes_get_int_be(&neg, 3, &i64));
    CHECK(i64 == -8322429);
    bytes_drop(&neg);
}

static void test_put_statuses(void)
{
    bytes_mut_t m = {0};
    CHECK_OK(bytes_mut_put_i8(&m, -127));
    CHECK_OK(bytes_mut_put_i16_le(&m, (int16_t)0x8302));
    CHECK_OK(bytes_mut_put_int_be(&m, 0x048506, 3));
    CHECK_OK(bytes_mut_put_uint_le(&m, 0xdead0887u, 2)); /* only the low 2 bytes */
    CHECK_EQ_SIZE(bytes_mut_len(&m), 8);
    CHECK(memcmp(bytes_mut_ptr(&m), pattern, 8) == 0);
    CHECK_OK(bytes_mut_put_f64_be(&m, 1.0));
    CHECK_OK(bytes_mut_put_f32_le(&m, 0.5f));
    CHECK_OK(bytes_mut_put_int_le(&m, -1, 8));
    CHECK_EQ_SIZE(bytes_mut_len(&m), 28);
    CHECK(bytes_load_f64_be(bytes_mut_ptr(&m) + 8) == 1.0);
    CHECK(bytes_load_f32_le(bytes_mut_ptr(&m) + 16) == 0.5f);
    CHECK(bytes_load_i64_le(bytes_mut_ptr(&m) + 20) == -1);

    bytes_mut_t before = m;
    CHECK_STATUS(bytes_mut_put_uint_be(&m, 1, 0), BYTES_ERR_INVALID);
    CHECK_STATUS(bytes_mut_put_int_le(&m, 1, 9), BYTES_ERR_INVALID);
    CHECK(memcmp(&before, &m, sizeof m) == 0);
    CHECK_STATUS(bytes_mut_put_i64_be(NULL, 1), BYTES_ERR_NULL);
    CHECK_STATUS(bytes_mut_put_f64_le(NULL, 1.0), BYTES_ERR_NULL);

    /* Round trip through a frozen handle. */
    bytes_t b = bytes_mut_freeze(&m);
    int8_t i8;
    int16_t i16;
    int64_t i64;
    uint64_t u64;
    double f64;
    float f32;
    CHECK_OK(bytes_get_i8(&b, &i8));
    CHECK_OK(bytes_get_i16_le(&b, &i16));
    CHECK_OK(bytes_get_int_be(&b, 3, &i64));
    CHECK(i8 == -127 && i16 == (int16_t)0x8302 && i64 == 0x048506);
    CHECK_OK(bytes_get_uint_le(&b, 2, &u64));
    CHECK(u64 == 0x0887);
    CHECK_OK(bytes_get_f64_be(&b, &f64));
    CHECK_OK(bytes_get_f32_le(&b, &f32));
    CHECK_OK(bytes_get_i64_le(&b, &i64));
    CHECK(f64 == 1.0 && f32 == 0.5f && i64 == -1);
    CHECK(bytes_is_empty(&b));
    bytes_drop(&b);
    bytes_mut_drop(&m);
}

int main(void)
{
    test_load_store();
    test_get_statuses();
    test_put_statuses();
    CHECK_DONE();
    return 0;
}
