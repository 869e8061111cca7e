/*
 * AVX-512 VNNI kernels (zmm vpdpbusd; avx512f/bw/vl/vnni, Ice Lake, Sapphire Rapids, Zen 4 and
 * later). Q4_0/Q8_0: over the repacked copy (the default), 16 rows x up to 8 tokens, one int32
 * lane per row (end of file); over the original layout (STRATA_REPACK=0), GEMM tiles of 4 rows x
 * 4 tokens, two ggml blocks per zmm, int32 lanes scaled into 16 float accumulators in registers.
 * F16 on zmm; BF16 with vdpbf16ps when the CPU has AVX512-BF16. K-quants fall back to avx2.
 */
#if defined(__x86_64__)
#pragma GCC target("avx2,fma,f16c,avx512f,avx512bw,avx512vl,avx512dq,avx512vnni")
#include <immintrin.h>
#include "strata_internal.h"

#define ZINLINE static inline __attribute__((always_inline))
#define Z_ROWS 4
#define Z_TOKENS 4
/* bytes ahead of the current block pair that each row prefetches */
#define Z_PREFETCH 1024

/* [a x 8 lanes, b x 8 lanes]: one scale per block of a block pair */
ZINLINE __m512 pair_ps(float a, float b) {
    return _mm512_insertf32x8(_mm512_set1_ps(a), _mm256_set1_ps(b), 1);
}

/* 64 activations of blocks b and b+1, or 32 and zeros when b is the last block. */
ZINLINE __m512i load_x(const int8_t *p, int two) {
    return two ? _mm512_loadu_si512(p) : _mm512_zextsi256_si512(_mm256_loadu_si256((const __m256i *) p));
}

/* Q4_0 nibbles of two blocks (18 bytes apart) as [lo_b, hi_b, lo_b+1, hi_b+1], unsigned 0..15. */
ZINLINE __m512i unpack_q4_0(const uint8_t *blk, int two) {
    const __m128i a = _mm_loadu_si128((const __m128i *) (blk + 2));
    const __m128i b = two ? _mm_loadu_si128((const __m128i *) (blk + 20)) : _mm_setzero_si128();
    const __m256i raw = _mm256_set_m128i(b, a), m4 = _mm256_set1_epi8(0x0F);
    const __m512i z = _mm512_inserti64x4(_mm512_castsi256_si512(_mm256_and_si256(raw, m4)),
                                         _mm256_and_si256(_mm256_srli_epi16(raw, 4), m4), 1);
    return _mm512_shuffle_i64x2(z, z, _MM_SHUFFLE(3, 1, 2, 0));
}

/* Q8_0 quants of two blocks (34 bytes apart) offset to unsigned (w + 128). */
ZINLINE __m512i unpack_q8_0(const uint8_t *blk, int two) {
    const __m256i a = _mm256_loadu_si256((const __m256i *) (blk + 2));
    const __m256i b = two ? _mm256_loadu_si256((const __m256i *) (blk + 36)) : _mm256_setzero_si256();
    return _mm512_xor_si512(_mm512_inserti64x4(_mm512_castsi256_si512(a), b, 1), _mm512_set1_epi8((char) 0x80));
}

#define Z_BODY(block_bytes, unpack, offset, NR, NT)                                                   \
    do {                                                                                              \
        __m512 acc[NR][NT];                                                                           \
        for (int r = 0; r < NR; r++)                                                                  \
            for (int t = 0; t < NT; t++) acc[r][t] = _mm512_setzero_ps();                             \
        const int nb = a->nb;                                                                         \
        for (int b = 0; b < nb; b += 2) {                                                             \
            const int two = b + 1 < nb;                                                               \
            __m512i xv[NT], start[NT];                                                                \
            __m512 dx[NT];                                                                            \
            for (int t = 0; t < NT; t++) {                                                            \
                const int64_t tb = (int64_t) (t0 + t) * nb + b;                                       \
                xv[t] = load_x(a->q + (int64_t) (t0 + t) * a->cols + 32 * b, two);                    \
                /* -offset * sum(x) per lane cancels the unsigned offset of the weights */            \
                start[t] = _mm512_sub_epi32(_mm512_setzero_si512(),                                   \
                        _mm512_dpbusd_epi32(_mm512_setzero_si512(), _mm512_set1_epi8((char) (offset)), xv[t])); \
                dx[t] = pair_ps(a->d[tb], two ? a->d[tb + 1] : 0.0f);                                 \
            }                                                                                         \
            for (int r = 0; r < NR; r++) {                                                            \
                const uint8_t *blk = w + (int64_t) (r0 + r) * row_bytes + (int64_t) (block_bytes) * b; \
                /* several rows stream at once; the prefetchers alone leave decode waiting on DRAM */   \
                _mm_prefetch((const char *) blk + Z_PREFETCH, _MM_HINT_T0);                           \
                const __m512 dw = pair_ps(_cvtsh_ss(load_u16(blk)), two ? _cvtsh_ss(load_u16(blk + (block_bytes))) : 0.0f); \
                const __m512i wq = unpack(blk, two);                                                  \
                for (int t = 0; t < NT; t++) {                                                        \
                    const __m512i s = _mm512_dpbusd_epi32(start[t], wq, xv[t]);                       \
                    acc[r][t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(dw, dx[t]), acc[r][t]); \
                }                                                                                     \
            }                                                                                         \
        }                                                                                             \
        for (int r = 0; r < NR; r++)                                                                  \
            for (int t = 0; t < NT; t++) out[(int64_t) (t0 + t) * stride + r0 + r] = _mm512_reduce_add_ps(acc[r][t]); \
    } while (0)

#define Z_SHAPES(name, block_bytes, unpack, offset)                                                   \
    static void name(const uint8_t *w, int64_t row_bytes, const acts *a, int r0, int nr, int t0, int nt, \
                     float *out, int stride) {                                                        \
        switch (nr * 8 + nt) {                                                                        \
            case 8 + 1: Z_BODY(block_bytes, unpack, offset, 1, 1); break;                             \
            case 8 + 2: Z_BODY(block_bytes, unpack, offset, 1, 2); break;                             \
            case 8 + 3: Z_BODY(block_bytes, unpack, offset, 1, 3); break;                             \
            case 8 + 4: Z_BODY(block_bytes, unpack, offset, 1, 4); break;                             \
            case 16 + 1: Z_BODY(block_bytes, unpack, offset, 2, 1); break;                            \
            case 16 + 2: Z_BODY(block_bytes, unpack, offset, 2, 2); break;                            \
            case 16 + 3: Z_BODY(block_bytes, unpack, offset, 2, 3); break;                            \
            case 16 + 4: Z_BODY(block_bytes, unpack, offset, 2, 4); break;                            \
            case 24 + 1: Z_BODY(block_bytes, unpack, offset, 3, 1); break;                            \
            case 24 + 2: Z_BODY(block_bytes, unpack, offset, 3, 2); break;                            \
            case 24 + 3: Z_BODY(block_bytes, unpack, offset, 3, 3); break;                            \
            case 24 + 4: Z_BODY(block_bytes, unpack, offset, 3, 4); break;                            \
            case 32 + 1: Z_BODY(block_bytes, unpack, offset, 4, 1); break;                            \
            case 32 + 2: Z_BODY(block_bytes, unpack, offset, 4, 2); break;                            \
            case 32 + 3: Z_BODY(block_bytes, unpack, offset, 4, 3); break;                            \
            default: Z_BODY(block_bytes, unpack, offset, 4, 4); break;                                \
        }                                                                                             \
    }
Z_SHAPES(tile_q4_0_z, 18, unpack_q4_0, 8)
Z_SHAPES(tile_q8_0_z, 34, unpack_q8_0, 0x80)

/* F16 weights: 16 per zmm, widened exactly, fused multiply-add with up to 4 tokens. */
ZINLINE void f16_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {
    __m512 acc[4];
    for (int k = 0; k < nt; k++) acc[k] = _mm512_setzero_ps();
    const int n16 = a->cols & ~15;
    for (int c = 0; c < n16; c += 16) {
        const __m512 wv = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (row + 2 * c)));
        for (int k = 0; k < nt; k++) acc[k] = _mm512_fmadd_ps(wv, _mm512_loadu_ps(a->d + (int64_t) (t0 + k) * a->cols + c), acc[k]);
    }
    for (int k = 0; k < nt; k++) {
        float s = _mm512_reduce_add_ps(acc[k]);
        const float *x = a->d + (int64_t) (t0 + k) * a->cols;
        for (int c = n16; c < a->cols; c++) s += fp16_to_fp32(load_u16(row + 2 * c)) * x[c];
        res[k] = s;
    }
}

/*
 * BF16 weights with vdpbf16ps: pairs of bf16 products summed into fp32 lanes. The activations are
 * already BF16-rounded floats, so converting them back to bf16 is exact.
 */
__attribute__((target("avx512bf16"))) static inline __attribute__((always_inline))
void bf16_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {
    __m512 acc[4];
    for (int k = 0; k < nt; k++) acc[k] = _mm512_setzero_ps();
    const int n32 = a->cols & ~31;
    for (int c = 0; c < n32; c += 32) {
        const __m512bh wv = (__m512bh) _mm512_loadu_si512(row + 2 * c);
        for (int k = 0; k < nt; k++) {
            const float *x = a->d + (int64_t) (t0 + k) * a->cols + c;
            const __m512bh xv = _mm512_cvtne2ps_pbh(_mm512_loadu_ps(x + 16), _mm512_loadu_ps(x));
            acc[k] = _mm512_dpbf16_ps(acc[k], wv, xv);
        }
    }
    for (int k = 0; k < nt; k++) {
        float s = _mm512_reduce_add_ps(acc[k]);
        const float *x = a->d + (int64_t) (t0 + k) * a->cols;
        for (int c = n32; c < a->cols; c++) s += bf16_to_fp32(load_u16(row + 2 * c)) * x[c];
        res[k] = s;
    }
}

static void rows_f16_z(const uint8_t *row, const acts *a, int t0, int nt, float *res) {
    switch (nt) {
        case 1: f16_n(row, a, t0, 1, res); break;
        case 2: f16_n(row, a, t0, 2, res); break;
        case 3: f16_n(row, a, t0, 3, res); break;
        default: f16_n(row, a, t0, 4, res); break;
    }
}

__attribute__((target("avx512bf16"))) static void rows_bf16_z(const uint8_t *row, const acts *a, int t0, int nt, float *res) {
    switch (nt) {
        case 1: bf16_n(row, a, t0, 1, res); break;
        case 2: bf16_n(row, a, t0, 2, res); break;
        case 3: bf16_n(row, a, t0, 3, res); break;
        default: bf16_n(row, a, t0, 4, res); break;
    }
}
ROW_TILE(tile_f16_z, rows_f16_z)
ROW_TILE(tile_bf16_z, rows_bf16_z)

void strata_fill_avx512vnni(kernel *table, int bf16) {
    table[TYPE_Q4_0] = (kernel) {tile_q4_0_z, Z_ROWS, Z_TOKENS, "q4_0 tile 4x4 avx512vnni"};
    table[TYPE_Q8_0] = (kernel) {tile_q8_0_z, Z_ROWS, Z_TOKENS, "q8_0 tile 4x4 avx512vnni"};
    table[TYPE_F16] = (kernel) {tile_f16_z, 1, 4, "f16 row avx512"};
    if (bf16) table[TYPE_BF16] = (kernel) {tile_bf16_z, 1, 4, "bf16 row avx512bf16 (vdpbf16ps)"};
}
/*
 * Repacked Q4_0/Q8_0 (strata_repack.c): 16 rows per zmm, one int32 lane per row. Per block and
 * token, 8 vpdpbusd (each a 4-value activation group broadcast against 16 rows) start from
 * -offset * sum(x) and one multiply-add scales all 16 rows: the float work is paid once per 16
 * rows instead of once per row. Every (row, token) sums its blocks in block order in its own
 * lane, whatever the tile shape, so batching never changes the bits.
 */
#ifndef P_PREFETCH
#define P_PREFETCH 1536
#endif
#define P_LOAD_Q4(blk, wv)                                                                           \
    for (int c = 0; c < 4; c++) {                                                                     \
        const __m512i raw = _mm512_loadu_si512((blk) + 32 + 64 * c);                                  \
        wv[c] = _mm512_and_si512(raw, _mm512_set1_epi8(0x0F));                                        \
        wv[c + 4] = _mm512_and_si512(_mm512_srli_epi16(raw, 4), _mm512_set1_epi8(0x0F));              \
    }
#define P_LOAD_Q8(blk, wv)                                                                           \
    for (int c = 0; c < 8; c++) wv[c] = _mm512_loadu_si512((blk) + 32 + 64 * c);

#define P_BODY(block_bytes, offset, LOAD, NT)                                                         \
    do {                                                                                              \
        const int nb = a->nb;                                                                         \
        const uint8_t *grp = w + (int64_t) (r0 / PACK_ROWS) * PACK_ROWS * row_bytes;                  \
        __m512 acc[NT];                                                                               \
        for (int t = 0; t < NT; t++) acc[t] = _mm512_setzero_ps();                                    \
        for (int b = 0; b < nb; b++) {                                                                \
            const uint8_t *blk = grp + (int64_t) b * PACK_ROWS * (block_bytes);                       \
            for (int p = 0; p < PACK_ROWS * (block_bytes); p += 64) _mm_prefetch((const char *) blk + P_PREFETCH + p, _MM_HINT_T0); \
            const __m512 dw = _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) blk));             \
            __m512i wv[8];                                                                            \
            LOAD(blk, wv)                                                                             \
            for (int t = 0; t < NT; t++) {                                                            \
                const int64_t tb = (int64_t) (t0 + t) * nb + b;                                       \
                const int8_t *x = a->q + (int64_t) (t0 + t) * a->cols + 32 * b;                       \
                __m512i s = _mm512_set1_epi32(-(offset) * a->xsum[tb]);                               \
                for (int g = 0; g < 8; g++) s = _mm512_dpbusd_epi32(s, wv[g], _mm512_set1_epi32(load_i32(x + 4 * g))); \
                acc[t] = _mm512_fmadd_ps(_mm512_cvtepi32_ps(s), _mm512_mul_ps(dw, _mm512_set1_ps(a->d[tb])), acc[t]); \
            }                                                                                         \
        }                                                                                             \
        const int lane = r0 % PACK_ROWS;                                                              \
        const __mmask16 keep = (__mmask16) (((1u << nr) - 1) << lane);                                \
        for (int t = 0; t < NT; t++) _mm512_mask_storeu_ps(out + (int64_t) (t0 + t) * stride + r0 - lane, keep, acc[t]); \
    } while (0)

#define P_SHAPES(name, block_bytes, offset, LOAD)                                                     \
    static void name(const uint8_t *w, int64_t row_bytes, const acts *a, int r0, int nr, int t0, int nt, \
                     float *out, int stride) {                                                        \
        switch (nt) {                                                                                 \
            case 1: P_BODY(block_bytes, offset, LOAD, 1); break;                                      \
            case 2: P_BODY(block_bytes, offset, LOAD, 2); break;                                      \
            case 3: P_BODY(block_bytes, offset, LOAD, 3); break;                                      \
            case 4: P_BODY(block_bytes, offset, LOAD, 4); break;                                      \
            case 5: P_BODY(block_bytes, offset, LOAD, 5); break;                                      \
            case 6: P_BODY(block_bytes, offset, LOAD, 6); break;                                      \
            case 7: P_BODY(block_bytes, offset, LOAD, 7); break;                                      \
            default: P_BODY(block_bytes, offset, LOAD, 8); break;                                     \
        }                                                                                             \
    }
P_SHAPES(packed_q4_0_z, 18, 8, P_LOAD_Q4)
P_SHAPES(packed_q8_0_z, 34, 128, P_LOAD_Q8)

void strata_fill_packed_avx512vnni(kernel *table) {
    table[TYPE_Q4_0] = (kernel) {packed_q4_0_z, PACK_ROWS, 8, "q4_0 repacked 16x8 avx512vnni"};
    table[TYPE_Q8_0] = (kernel) {packed_q8_0_z, PACK_ROWS, 8, "q8_0 repacked 16x8 avx512vnni"};
}
#endif
