/*
 * test_slice.c - cutting and reading bytes_t: bytes_slice, bytes_slice_ref,
 * bytes_split_to, bytes_split_off, bytes_advance, bytes_truncate,
 * bytes_clear, bytes_eq, bytes_cmp and the bytes_get_* readers.
 *
 * Every cutting test runs over each storage kind (static, copied, adopted
 * from malloc), because the same handle operations sit on different
 * storage code underneath.
 *
 * Built twice: against libbytes.so (test_slice) and libbytes.a
 * (test_slice_static).
 */
#include "check.h"

#include <stdint.h>

enum kind { STATIC, COPY, MALLOC, N_KINDS };
static const char *const kind_name[N_KINDS] = {"static", "copy_from",
                                               "from_malloc"};

static const uint8_t TEXT[] = "0123456789abcdefghijklmnopqrstuvwxyz";
#define TEXT_LEN (sizeof(TEXT) - 1)

/* A handle on a fresh storage of the given kind holding TEXT. */
static bytes_t make(enum kind k)
{
    bytes_t b = bytes_new();
    switch (k) {
    case STATIC:
        b = bytes_from_static(TEXT, TEXT_LEN);
        break;
    case COPY:
        CHECK_OK(bytes_copy_from(TEXT, TEXT_LEN, &b));
        break;
    case MALLOC: {
        uint8_t *p = malloc(TEXT_LEN);
        CHECK(p != NULL);
        memcpy(p, TEXT, TEXT_LEN);
        CHECK_OK(bytes_from_malloc(p, TEXT_LEN, &b));
        break;
    }
    default:
        CHECK(!"bad kind");
    }
    CHECK_BYTES(&b, TEXT, TEXT_LEN);
    return b;
}

static void test_slice(enum kind k)
{
    bytes_t b = make(k);
    const uint8_t *base = bytes_ptr(&b);
    bytes_t s;

    GARBAGE(s); /* out-parameters are write-only */
    CHECK_OK(bytes_slice(&b, 3, 10, &s));
    CHECK(bytes_ptr(&s) == base + 3); /* zero copy: points into b */
    CHECK_BYTES(&s, "3456789", 7);
    CHECK_BYTES(&b, TEXT, TEXT_LEN); /* b is untouched */
    CHECK(bytes_ptr(&b) == base);

    /* A slice of a slice still points into the same storage. */
    bytes_t ss;
    CHECK_OK(bytes_slice(&s, 2, 5, &ss));
    CHECK(bytes_ptr(&ss) == base + 5);
    CHECK_BYTES(&ss, "567", 3);
    bytes_drop(&s);
    CHECK_BYTES(&ss, "567", 3); /* outlives the slice it came from */
    bytes_drop(&ss);

    /* Whole range, and ranges touching either end. */
    CHECK_OK(bytes_slice(&b, 0, TEXT_LEN, &s));
    CHECK(bytes_ptr(&s) == base);
    CHECK(bytes_eq(&s, &b));
    bytes_drop(&s);
    CHECK_OK(bytes_slice(&b, 0, 1, &s));
    CHECK_BYTES(&s, "0", 1);
    bytes_drop(&s);
    CHECK_OK(bytes_slice(&b, TEXT_LEN - 1, TEXT_LEN, &s));
    CHECK(bytes_ptr(&s) == base + TEXT_LEN - 1);
    CHECK_BYTES(&s, "z", 1);
    bytes_drop(&s);

    /* Empty ranges, anywhere including at the end: OK and empty. */
    const size_t empties[] = {0, 1, 17, TEXT_LEN};
    for (size_t i = 0; i < sizeof empties / sizeof empties[0]; i++) {
        GARBAGE(s);
        CHECK_OK(bytes_slice(&b, empties[i], empties[i], &s));
        expect_empty(&s);
        bytes_drop(&s);
    }

    /* out may be b itself: b is replaced by its slice. */
    bytes_t c = bytes_clone(&b);
    CHECK_OK(bytes_slice(&c, 10, 16, &c));
    CHECK(bytes_ptr(&c) == base + 10);
    CHECK_BYTES(&c, "abcdef", 6);
    CHECK_OK(bytes_slice(&c, 1, 1, &c));
    expect_empty(&c);
    bytes_drop(&c);

    CHECK_BYTES(&b, TEXT, TEXT_LEN);
    bytes_drop(&b);
}

static void test_slice_ref(enum kind k)
{
    bytes_t b = make(k);
    const uint8_t *base = bytes_ptr(&b);
    bytes_t s;

    /* A parser found "abc" at offset 10. */
    const uint8_t *found = memchr(base, 'a', TEXT_LEN);
    CHECK(found == base + 10);
    GARBAGE(s);
    CHECK_OK(bytes_slice_ref(&b, found, 3, &s));
    CHECK(bytes_ptr(&s) == found);
    CHECK_BYTES(&s, "abc", 3);
    bytes_drop(&s);

    /* Whole buffer, start, end, and empty subs at both ends. */
    CHECK_OK(bytes_slice_ref(&b, base, TEXT_LEN, &s));
    CHECK(bytes_ptr(&s) == base);
    CHECK(bytes_eq(&s, &b));
    bytes_drop(&s);
    CHECK_OK(bytes_slice_ref(&b, base, 2, &s));
    CHECK_BYTES(&s, "01", 2);
    bytes_drop(&s);
    CHECK_OK(bytes_slice_ref(&b, base + TEXT_LEN - 2, 2, &s));
    CHECK_BYTES(&s, "yz", 2);
    bytes_drop(&s);
    CHECK_OK(bytes_slice_ref(&b, base, 0, &s));
    expect_empty(&s);
    bytes_drop(&s);
    CHECK_OK(bytes_slice_ref(&b, base + TEXT_LEN, 0, &s)); /* one past end */
    expect_empty(&s);
    bytes_drop(&s);

    /* (NULL, 0) is empty (rule 5). */
    GARBAGE(s);
    CHECK_OK(bytes_slice_ref(&b, NULL, 0, &s));
    expect_empty(&s);
    bytes_drop(&s);

    /* Relative to the view, not the storage: a sub-slice of a slice. */
    bytes_t mid;
    CHECK_OK(bytes_slice(&b, 5, 15, &mid));
    CHECK_OK(bytes_slice_ref(&mid, base + 5, 10, &s));
    CHECK(bytes_eq(&s, &mid));
    bytes_drop(&s);
    CHECK_OK(bytes_slice_ref(&mid, base + 14, 1, &s));
    CHECK_BYTES(&s, "e", 1);
    bytes_drop(&s);
    bytes_drop(&mid);

    /* out may be b itself. */
    bytes_t c = bytes_clone(&b);
    CHECK_OK(bytes_slice_ref(&c, base + 20, 4, &c));
    CHECK(bytes_ptr(&c) == base + 20);
    CHECK_BYTES(&c, "klmn", 4);
    bytes_drop(&c);

    CHECK_BYTES(&b, TEXT, TEXT_LEN);
    bytes_drop(&b);
}

static void test_split(enum kind k)
{
    bytes_t b = make(k);
    const uint8_t *base = bytes_ptr(&b);
    bytes_t head, tail;

    /* split_to: out = [0, at), b keeps [at, len). */
    GARBAGE(head);
    CHECK_OK(bytes_split_to(&b, 4, &head));
    CHECK(bytes_ptr(&head) == base);
    CHECK_BYTES(&head, "0123", 4);
    CHECK(bytes_ptr(&b) == base + 4);
    CHECK_BYTES(&b, TEXT + 4, TEXT_LEN - 4);

    /* split_off: out = [at, len), b keeps [0, at). */
    GARBAGE(tail);
    CHECK_OK(bytes_split_off(&b, 6, &tail));
    CHECK(bytes_ptr(&b) == base + 4);
    CHECK_BYTES(&b, "456789", 6);
    CHECK(bytes_ptr(&tail) == base + 10);
    CHECK_BYTES(&tail, TEXT + 10, TEXT_LEN - 10);

    /* The three pieces are independent handles on one storage. */
    bytes_drop(&b);
    CHECK_BYTES(&head, "0123", 4);
    CHECK_BYTES(&tail, "abcdefghijklmnopqrstuvwxyz", 26);
    bytes_drop(&head);

    /* Edges: at 0 and at len. */
    const uint8_t *tbase = bytes_ptr(&tail);
    CHECK_OK(bytes_split_to(&tail, 0, &head));
    expect_empty(&head);
    CHECK(bytes_ptr(&tail) == tbase);
    CHECK_EQ_SIZE(bytes_len(&tail), 26);
    bytes_drop(&head);

    CHECK_OK(bytes_split_off(&tail, 26, &head));
    expect_empty(&head);
    CHECK_EQ_SIZE(bytes_len(&tail), 26);
    bytes_drop(&head);

    CHECK_OK(bytes_split_off(&tail, 0, &head)); /* everything moves out */
    CHECK(bytes_ptr(&head) == tbase);
    CHECK_EQ_SIZE(bytes_len(&head), 26);
    expect_empty(&tail);
    bytes_drop(&tail);

    CHECK_OK(bytes_split_to(&head, 26, &tail)); /* everything moves out */
    CHECK(bytes_ptr(&tail) == tbase);
    CHECK_BYTES(&tail, "abcdefghijklmnopqrstuvwxyz", 26);
    expect_empty(&head);
    bytes_drop(&head);
    bytes_drop(&tail);

    /* Cutting a buffer into lines, the way a parser does. */
    static const uint8_t LINES[] = "one\ntwo\nthree\n";
    bytes_t buf = bytes_from_static(LINES, sizeof LINES - 1);
    const char *want[] = {"one", "two", "three"};
    for (int i = 0; i < 3; i++) {
        const uint8_t *nl = memchr(bytes_ptr(&buf), '\n', bytes_len(&buf));
        CHECK(nl != NULL);
        bytes_t line;
        CHECK_OK(bytes_split_to(&buf, (size_t)(nl - bytes_ptr(&buf)), &line));
        CHECK_OK(bytes_advance(&buf, 1));
        CHECK_BYTES(&line, want[i], strlen(want[i]));
        bytes_drop(&line);
    }
    expect_empty(&buf);
    bytes_drop(&buf);
}

static void test_advance_truncate_clear(enum kind k)
{
    bytes_t b = make(k);
    const uint8_t *base = bytes_ptr(&b);

    CHECK_OK(bytes_advance(&b, 0));
    CHECK(bytes_ptr(&b) == base);
    CHECK_EQ_SIZE(bytes_len(&b), TEXT_LEN);
    CHECK_OK(bytes_advance(&b, 10));
    CHECK(bytes_ptr(&b) == base + 10);
    CHECK_BYTES(&b, TEXT + 10, TEXT_LEN - 10);

    bytes_truncate(&b, 100); /* longer: no-op */
    CHECK_EQ_SIZE(bytes_len(&b), TEXT_LEN - 10);
    bytes_truncate(&b, TEXT_LEN - 10); /* equal: no-op */
    CHECK_EQ_SIZE(bytes_len(&b), TEXT_LEN - 10);
    CHECK(bytes_ptr(&b) == base + 10);
    bytes_truncate(&b, 5);
    CHECK(bytes_ptr(&b) == base + 10);
    CHECK_BYTES(&b, "abcde", 5);

    CHECK_OK(bytes_advance(&b, 5)); /* to the end */
    expect_empty(&b);
    bytes_drop(&b);

    b = make(k);
    bytes_truncate(&b, 0);
    expect_empty(&b);
    bytes_drop(&b);

    b = make(k);
    bytes_t c = bytes_clone(&b);
    bytes_clear(&b);
    expect_empty(&b);
    CHECK_BYTES(&c, TEXT, TEXT_LEN); /* the clone is untouched */
    bytes_clear(&b); /* twice is fine */
    expect_empty(&b);
    bytes_drop(&b);
    bytes_drop(&c);
}

static int sign(int x) { return (x > 0) - (x < 0); }

static void test_eq_cmp(void)
{
    static const struct {
        const char *a;
        size_t alen;
        const char *b;
        size_t blen;
        int cmp; /* expected bytes_cmp(a, b) */
    } cases[] = {
        {"", 0, "", 0, 0},
        {"a", 1, "", 0, 1},
        {"", 0, "a", 1, -1},
        {"abc", 3, "abc", 3, 0},
        {"abc", 3, "abd", 3, -1},
        {"abd", 3, "abc", 3, 1},
        {"ab", 2, "abc", 3, -1}, /* a prefix sorts first */
        {"abc", 3, "ab", 2, 1},
        {"b", 1, "abc", 3, 1},   /* bytes before length */
        {"\x01", 1, "\xff", 1, -1}, /* unsigned bytes, like memcmp */
        {"\xff", 1, "\x01", 1, 1},
        {"a\0b", 3, "a\0c", 3, -1}, /* embedded NUL is just a byte */
        {"a\0", 2, "a", 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bytes_t a, b;
        CHECK_OK(bytes_copy_from((const uint8_t *)cases[i].a, cases[i].alen, &a));
        b = bytes_from_static((const uint8_t *)cases[i].b, cases[i].blen);
        int c = bytes_cmp(&a, &b);
        if (c != cases[i].cmp)
            fprintf(stderr, "case %zu: bytes_cmp = %d, expected %d\n", i, c,
                    cases[i].cmp);
        CHECK(c == cases[i].cmp); /* exactly -1, 0 or 1 */
        CHECK(bytes_cmp(&b, &a) == -cases[i].cmp);
        CHECK(bytes_eq(&a, &b) == (cases[i].cmp == 0));
        CHECK(bytes_eq(&b, &a) == (cases[i].cmp == 0));
        CHECK(bytes_eq(&a, &a));
        CHECK(bytes_cmp(&a, &a) == 0);
        bytes_drop(&a);
        bytes_drop(&b);
    }

    /* Agrees with memcmp-then-length on every pair of a small set. */
    static const char *const words[] = {"", "a", "aa", "ab", "b", "ba", "\x80"};
    const size_t nw = sizeof words / sizeof words[0];
    for (size_t i = 0; i < nw; i++)
        for (size_t j = 0; j < nw; j++) {
            size_t li = strlen(words[i]), lj = strlen(words[j]);
            int m = memcmp(words[i], words[j], li < lj ? li : lj);
            int want = m ? sign(m) : (li > lj) - (li < lj);
            bytes_t a = bytes_from_static((const uint8_t *)words[i], li);
            bytes_t b = bytes_from_static((const uint8_t *)words[j], lj);
            CHECK(bytes_cmp(&a, &b) == want);
        }

    /* Same contents in different storage kinds compare equal. */
    for (int k1 = 0; k1 < N_KINDS; k1++)
        for (int k2 = 0; k2 < N_KINDS; k2++) {
            bytes_t a = make((enum kind)k1), b = make((enum kind)k2);
            CHECK(bytes_eq(&a, &b));
            CHECK(bytes_cmp(&a, &b) == 0);
            bytes_drop(&a);
            bytes_drop(&b);
        }

    /* NULL handle pointers compare as empty. */
    bytes_t x = bytes_from_static((const uint8_t *)"x", 1);
    bytes_t e = bytes_new();
    CHECK(bytes_eq(NULL, NULL));
    CHECK(bytes_eq(NULL, &e));
    CHECK(!bytes_eq(NULL, &x));
    CHECK(!bytes_eq(&x, NULL));
    CHECK(bytes_cmp(NULL, NULL) == 0);
    CHECK(bytes_cmp(NULL, &e) == 0);
    CHECK(bytes_cmp(NULL, &x) == -1);
    CHECK(bytes_cmp(&x, NULL) == 1);
}

static void test_get(enum kind k)
{
    static const uint8_t RAW[] = {
        0x7f,                                           /* u8 */
        0x12, 0x34,                                     /* u16 be */
        0x12, 0x34,                                     /* u16 le */
        0xde, 0xad, 0xbe, 0xef,                         /* u32 be */
        0xde, 0xad, 0xbe, 0xef,                         /* u32 le */
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, /* u64 be */
        0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, /* u64 le */
        0xff,                                           /* u8 */
    };
    bytes_t b = bytes_new();
    if (k == STATIC)
        b = bytes_from_static(RAW, sizeof RAW);
    else
        CHECK_OK(bytes_copy_from(RAW, sizeof RAW, &b));
    const uint8_t *base = bytes_ptr(&b);

    uint8_t u8 = 0;
    uint16_t u16 = 0;
    uint32_t u32 = 0;
    uint64_t u64 = 0;
    CHECK_OK(bytes_get_u8(&b, &u8));
    CHECK(u8 == 0x7f);
    CHECK(bytes_ptr(&b) == base + 1); /* advanced by the size read */
    CHECK_EQ_SIZE(bytes_len(&b), sizeof RAW - 1);
    CHECK_OK(bytes_get_u16_be(&b, &u16));
    CHECK(u16 == 0x1234);
    CHECK_OK(bytes_get_u16_le(&b, &u16));
    CHECK(u16 == 0x3412);
    CHECK_EQ_SIZE(bytes_len(&b), sizeof RAW - 5);
    CHECK_OK(bytes_get_u32_be(&b, &u32));
    CHECK(u32 == 0xdeadbeefu);
    CHECK_OK(bytes_get_u32_le(&b, &u32));
    CHECK(u32 == 0xefbeaddeu);
    CHECK_EQ_SIZE(bytes_len(&b), sizeof RAW - 13);
    CHECK_OK(bytes_get_u64_be(&b, &u64));
    CHECK(u64 == UINT64_C(0x0123456789abcdef));
    CHECK_OK(bytes_get_u64_le(&b, &u64));
    CHECK(u64 == UINT64_C(0xefcdab8967452301));
    CHECK(bytes_ptr(&b) == base + sizeof RAW - 1);
    CHECK_OK(bytes_get_u8(&b, &u8));
    CHECK(u8 == 0xff);
    expect_empty(&b);
    CHECK_STATUS(bytes_get_u8(&b, &u8), BYTES_ERR_RANGE); /* nothing left */
    bytes_drop(&b);

    /* Exactly enough bytes is enough; the result is empty afterwards. */
    b = bytes_from_static(RAW + 13, 8);
    CHECK_OK(bytes_get_u64_be(&b, &u64));
    CHECK(u64 == UINT64_C(0x0123456789abcdef));
    expect_empty(&b);
    bytes_drop(&b);

    /* Too short: ERR_RANGE, nothing consumed, *out = 0. */
    b = bytes_from_static(RAW + 5, 3);
    u32 = 0xaaaaaaaau;
    CHECK_STATUS(bytes_get_u32_be(&b, &u32), BYTES_ERR_RANGE);
    CHECK(u32 == 0);
    CHECK(bytes_ptr(&b) == RAW + 5);
    CHECK_EQ_SIZE(bytes_len(&b), 3);
    CHECK_OK(bytes_get_u16_be(&b, &u16)); /* the shorter read still works */
    CHECK(u16 == 0xdead);
    CHECK_OK(bytes_get_u8(&b, &u8));
    CHECK(u8 == 0xbe);
    bytes_drop(&b);
}

int main(void)
{
    for (int k = 0; k < N_KINDS; k++) {
        printf("storage kind: %s\n", kind_name[k]);
        test_slice((enum kind)k);
        test_slice_ref((enum kind)k);
        test_split((enum kind)k);
        test_advance_truncate_clear((enum kind)k);
        test_get((enum kind)k);
    }
    test_eq_cmp();
    CHECK_DONE();
    return 0;
}
