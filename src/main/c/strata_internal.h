/* Shared by the per-level kernel files of libstrata: activation view, kernel table, helpers. */
#ifndef STRATA_INTERNAL_H
#define STRATA_INTERNAL_H
#include <stdint.h>
#include <string.h>

#define EXPORT __attribute__((visibility("default")))

enum { TYPE_F16 = 1, TYPE_Q4_0 = 2, TYPE_Q8_0 = 8, TYPE_Q4_K = 12, TYPE_Q5_K = 13, TYPE_Q6_K = 14, TYPE_BF16 = 30 };
#define TYPE_SLOTS 32

typedef struct {
    const int8_t *q;       /* nTokens * cols int8 quants */
    const float *d;        /* one scale per block per token; F16/BF16: nTokens * cols floats */
    const int16_t *bsums;  /* Q8_K: 16 sums per block per token */
    const int32_t *xsum;   /* repacked Q4_0/Q8_0 only: sum of each block's quants, nb per token */
    int cols;
    int nb;                /* blocks per token row */
} acts;

/*
 * Computes rows [r0, r0+nr) x tokens [t0, t0+nt) into out[t*stride + r], with nr <= max_rows
 * and nt <= max_tokens of its table entry: one pass over the weights of the tile's rows.
 */
typedef void (*tile_fn)(const uint8_t *w, int64_t row_bytes, const acts *a, int r0, int nr, int t0, int nt,
                        float *out, int stride);

typedef struct {
    tile_fn fn;
    int max_rows, max_tokens;
    const char *name;
} kernel;

/* Fills table[type] for the types a level implements; missing entries fall back to a lower level. */
void strata_fill_portable(kernel *table);
void strata_fill_avx2(kernel *table);
void strata_fill_avxvnni(kernel *table);
void strata_fill_avx512vnni(kernel *table, int bf16);

/*
 * Repacked Q4_0/Q8_0 (see strata_repack.c): rows in groups of PACK_ROWS, each block of a group
 * stored as PACK_ROWS f16 scales then 4-byte lanes, one lane per row. A packed tile covers rows
 * [r0, r0+nr) inside one granule of max_rows (16 for zmm, 8 for ymm) rows of a group.
 */
#define PACK_ROWS 16
void strata_fill_packed_avx2(kernel *table);
void strata_fill_packed_avxvnni(kernel *table);
void strata_fill_packed_avx512vnni(kernel *table);

static inline int32_t load_i32(const void *p) {
    int32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint16_t load_u16(const uint8_t *p) {
    uint16_t v;
    memcpy(&v, p, 2);
    return v;
}

static inline float fp16_to_fp32(uint16_t h) {
    union { uint32_t u; float f; } v;
    uint32_t sign = (uint32_t) (h & 0x8000) << 16;
    uint32_t mag = h & 0x7fff;
    if (mag >= 0x7c00) {
        v.u = sign | 0x7f800000u | ((mag & 0x3ff) << 13);
        return v.f;
    }
    v.u = mag << 13;
    v.f *= 0x1p112f;
    v.u |= sign;
    return v.f;
}

static inline float bf16_to_fp32(uint16_t h) {
    union { uint32_t u; float f; } v;
    v.u = (uint32_t) h << 16;
    return v.f;
}

/* Row kernels (one weight row against up to 4 tokens) become tile kernels of one row. */
#define ROW_TILE(name, row_kernel)                                                                    \
    static void name(const uint8_t *w, int64_t row_bytes, const acts *a, int r0, int nr, int t0, int nt, \
                     float *out, int stride) {                                                        \
        (void) nr;                                                                                    \
        float res[4];                                                                                 \
        row_kernel(w + (int64_t) r0 * row_bytes, a, t0, nt, res);                                     \
        for (int k = 0; k < nt; k++) out[(int64_t) (t0 + k) * stride + r0] = res[k];                  \
    }
#endif
