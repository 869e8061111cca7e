/*
 * AVX2 + FMA + F16C kernels. The file is compiled for that target (pragma below) and its
 * functions run only after strata_cpu_level() said the CPU has it; the rest of the library is
 * built for baseline x86-64. The int8 dot products follow llama.cpp's AVX2 code:
 * _mm256_maddubs_epi16 multiplies unsigned by signed bytes, so a signed weight is made unsigned
 * with _mm256_sign_epi8 (|w|) and its sign moved onto the activation.
 */
#if defined(__x86_64__)
#pragma GCC target("avx2,fma,f16c")
#include <immintrin.h>
#include "strata_internal.h"

#define KINLINE static inline __attribute__((always_inline))

KINLINE float hsum8(__m256 x) {
    __m128 r = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

KINLINE float f16(const uint8_t *p) {
    return _cvtsh_ss(load_u16(p));
}

/* ---- Q4_0 / Q8_0 tiles: maddubs + madd stand in for the VNNI dot ---- */
#define SUFFIX avx2
#define DOTU(acc, u, s) _mm256_add_epi32((acc), _mm256_madd_epi16(_mm256_maddubs_epi16((u), (s)), _mm256_set1_epi16(1)))
/* |w| x sign(x, w): maddubs would saturate on w + 128, so Q8_0 keeps llama.cpp's sign trick */
#define Q8_WPREP(w) _mm256_sign_epi8((w), (w))
#define Q8_BIAS(x) _mm256_setzero_si256()
#define Q8_DOT(bias, wp, w, x) DOTU(bias, wp, _mm256_sign_epi8((x), (w)))
#include "strata_tile256.h"

/* 8 products per i16 lane stay below 8 * 2 * 15 * 127 = 30480: no saturation for Q4_0 nibbles */
#define P8_DOT(start, w, x)                                                                          \
    _mm256_add_epi32((start), _mm256_madd_epi16(_mm256_add_epi16(                                     \
        _mm256_add_epi16(_mm256_add_epi16(_mm256_maddubs_epi16(w[0], x[0]), _mm256_maddubs_epi16(w[1], x[1])), \
                         _mm256_add_epi16(_mm256_maddubs_epi16(w[2], x[2]), _mm256_maddubs_epi16(w[3], x[3]))), \
        _mm256_add_epi16(_mm256_add_epi16(_mm256_maddubs_epi16(w[4], x[4]), _mm256_maddubs_epi16(w[5], x[5])), \
                         _mm256_add_epi16(_mm256_maddubs_epi16(w[6], x[6]), _mm256_maddubs_epi16(w[7], x[7])))), \
        _mm256_set1_epi16(1)))
#include "strata_packed256.h"
P8_SHAPES(packed_q4_0_avx2, 18, 8, P8_LOAD_Q4, P8_DOT)

/*
 * Q8_0: w + 128 would saturate maddubs, so the stored w ^ 0x80 is flipped back to signed w and
 * llama.cpp's sign trick applies (|w| x sign(x, w)); |w| x |x| pairs reach 32512, so each group
 * widens to int32 on its own. Offset 0: the lanes start at zero.
 */
#define P8_LOAD_Q8_SIGNED(blk, half, wv)                                                             \
    for (int c = 0; c < 8; c++)                                                                       \
        wv[c] = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *) ((blk) + 32 + 64 * c + 32 * (half))), _mm256_set1_epi8((char) 0x80));
#define P8_SIGNED_GROUP(w, x) _mm256_madd_epi16(_mm256_maddubs_epi16(_mm256_sign_epi8((w), (w)), _mm256_sign_epi8((x), (w))), _mm256_set1_epi16(1))
#define P8_DOT_SIGNED(start, w, x)                                                                   \
    _mm256_add_epi32(_mm256_add_epi32(_mm256_add_epi32(P8_SIGNED_GROUP(w[0], x[0]), P8_SIGNED_GROUP(w[1], x[1])),        \
                                      _mm256_add_epi32(P8_SIGNED_GROUP(w[2], x[2]), P8_SIGNED_GROUP(w[3], x[3]))),       \
                     _mm256_add_epi32(_mm256_add_epi32(P8_SIGNED_GROUP(w[4], x[4]), P8_SIGNED_GROUP(w[5], x[5])),        \
                                      _mm256_add_epi32(_mm256_add_epi32(P8_SIGNED_GROUP(w[6], x[6]), P8_SIGNED_GROUP(w[7], x[7])), (start))))
P8_SHAPES(packed_q8_0_avx2, 34, 0, P8_LOAD_Q8_SIGNED, P8_DOT_SIGNED)

void strata_fill_packed_avx2(kernel *table) {
    table[TYPE_Q4_0] = (kernel) {packed_q4_0_avx2, 8, P8_MAX_TOKENS, "q4_0 repacked 8x4 avx2"};
    table[TYPE_Q8_0] = (kernel) {packed_q8_0_avx2, 8, P8_MAX_TOKENS, "q8_0 repacked 8x4 avx2"};
}

/* The 6-bit scales and mins of a Q4_K/Q5_K super-block, unpacked as llama.cpp does: bytes 0..8 scales, 8..16 mins. */
KINLINE void k_scales(const uint8_t *blk, uint32_t utmp[4]) {
    const uint32_t kmask1 = 0x3f3f3f3f, kmask2 = 0x0f0f0f0f, kmask3 = 0x03030303;
    memcpy(utmp, blk + 4, 12);
    utmp[3] = ((utmp[2] >> 4) & kmask2) | (((utmp[1] >> 6) & kmask3) << 4);
    const uint32_t uaux = utmp[1] & kmask1;
    utmp[1] = (utmp[2] & kmask2) | (((utmp[0] >> 6) & kmask3) << 4);
    utmp[2] = uaux;
    utmp[0] &= kmask1;
}

/* The mins meet each token's activations through its bsums (subtracted into acc); the integer sums start at zero. */
KINLINE void k_mins(__m256 *acc, __m256i *sumi, const acts *a, int t0, int nt, int i, __m128i mins, float dminw) {
    for (int k = 0; k < nt; k++) {
        const int64_t bi = (int64_t) (t0 + k) * a->nb + i;
        const __m256i bs = _mm256_loadu_si256((const __m256i *) (a->bsums + bi * 16));
        const __m128i pair = _mm_hadd_epi16(_mm256_castsi256_si128(bs), _mm256_extracti128_si256(bs, 1));
        const __m128i prod = _mm_madd_epi16(mins, pair);
        acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(-dminw * a->d[bi]), _mm256_cvtepi32_ps(_mm256_zextsi128_si256(prod)), acc[k]);
        sumi[k] = _mm256_setzero_si256();
    }
}

/* Q4_K: 8 sub-blocks of 32 with 6-bit scales and mins; the mins meet the activations through bsums. */
KINLINE void q4_k_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {
    const __m256i m4 = _mm256_set1_epi8(0xF);
    __m256 acc[4];
    for (int k = 0; k < nt; k++) acc[k] = _mm256_setzero_ps();
    for (int i = 0; i < a->nb; i++) {
        const uint8_t *blk = row + 144 * (int64_t) i;
        const float dw = f16(blk), dminw = f16(blk + 2);
        uint32_t utmp[4];
        k_scales(blk, utmp);
        const uint8_t *sc = (const uint8_t *) utmp; /* sc[0..8): scales, sc[8..16): mins */
        const __m128i mins = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, (int) utmp[3], (int) utmp[2]));
        __m256i sumi[4];
        k_mins(acc, sumi, a, t0, nt, i, mins, dminw);
        for (int j = 0; j < 4; j++) {
            const __m256i scale_l = _mm256_set1_epi16(sc[2 * j]);
            const __m256i scale_h = _mm256_set1_epi16(sc[2 * j + 1]);
            const __m256i bits = _mm256_loadu_si256((const __m256i *) (blk + 16 + 32 * j));
            const __m256i q4l = _mm256_and_si256(bits, m4);
            const __m256i q4h = _mm256_and_si256(_mm256_srli_epi16(bits, 4), m4);
            for (int k = 0; k < nt; k++) {
                const int8_t *q8 = a->q + ((int64_t) (t0 + k) * a->nb + i) * 256 + 64 * j;
                const __m256i pl = _mm256_madd_epi16(scale_l, _mm256_maddubs_epi16(q4l, _mm256_loadu_si256((const __m256i *) q8)));
                const __m256i ph = _mm256_madd_epi16(scale_h, _mm256_maddubs_epi16(q4h, _mm256_loadu_si256((const __m256i *) (q8 + 32))));
                sumi[k] = _mm256_add_epi32(sumi[k], _mm256_add_epi32(pl, ph));
            }
        }
        for (int k = 0; k < nt; k++) {
            const float d = dw * a->d[(int64_t) (t0 + k) * a->nb + i];
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi[k]), acc[k]);
        }
    }
    for (int k = 0; k < nt; k++) res[k] = hsum8(acc[k]);
}

/*
 * Q6_K: 6-bit unsigned levels q in [0, 64) stand for q - 32. The -32 offset is applied once per
 * block through the activations' bsums (32 * sum(scale_g * bsum_g)) instead of per value.
 */
KINLINE void q6_k_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {
    const __m256i m4 = _mm256_set1_epi8(0xF), m2 = _mm256_set1_epi8(3);
    __m256 acc[4];
    for (int k = 0; k < nt; k++) acc[k] = _mm256_setzero_ps();
    for (int i = 0; i < a->nb; i++) {
        const uint8_t *blk = row + 210 * (int64_t) i;
        const __m128i sc8 = _mm_loadu_si128((const __m128i *) (blk + 192));
        const __m256i sc16 = _mm256_cvtepi8_epi16(sc8);
        __m256i sumi[4];
        for (int k = 0; k < nt; k++) {
            const int64_t bi = (int64_t) (t0 + k) * a->nb + i;
            const __m256i bs = _mm256_loadu_si256((const __m256i *) (a->bsums + bi * 16));
            sumi[k] = _mm256_sub_epi32(_mm256_setzero_si256(), _mm256_slli_epi32(_mm256_madd_epi16(sc16, bs), 5));
        }
        for (int n = 0; n < 2; n++) {
            const __m256i ql0 = _mm256_loadu_si256((const __m256i *) (blk + 64 * n));
            const __m256i ql1 = _mm256_loadu_si256((const __m256i *) (blk + 64 * n + 32));
            const __m256i qh = _mm256_loadu_si256((const __m256i *) (blk + 128 + 32 * n));
            __m256i q[4], s[4];
            q[0] = _mm256_or_si256(_mm256_and_si256(ql0, m4), _mm256_slli_epi16(_mm256_and_si256(qh, m2), 4));
            q[1] = _mm256_or_si256(_mm256_and_si256(ql1, m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 2), m2), 4));
            q[2] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql0, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 4), m2), 4));
            q[3] = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(ql1, 4), m4), _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(qh, 6), m2), 4));
            for (int g = 0; g < 4; g++) {
                /* values 0..15 of slice g use scale 8n+2g, values 16..31 scale 8n+2g+1 */
                const int lo = blk[192 + 8 * n + 2 * g], hi = blk[192 + 8 * n + 2 * g + 1];
                s[g] = _mm256_set_m128i(_mm_set1_epi16((int16_t) (int8_t) hi), _mm_set1_epi16((int16_t) (int8_t) lo));
            }
            for (int k = 0; k < nt; k++) {
                const int8_t *q8 = a->q + ((int64_t) (t0 + k) * a->nb + i) * 256 + 128 * n;
                for (int g = 0; g < 4; g++) {
                    const __m256i y = _mm256_loadu_si256((const __m256i *) (q8 + 32 * g));
                    sumi[k] = _mm256_add_epi32(sumi[k], _mm256_madd_epi16(s[g], _mm256_maddubs_epi16(q[g], y)));
                }
            }
        }
        for (int k = 0; k < nt; k++) {
            const float d = f16(blk + 208) * a->d[(int64_t) (t0 + k) * a->nb + i];
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi[k]), acc[k]);
        }
    }
    for (int k = 0; k < nt; k++) res[k] = hsum8(acc[k]);
}

/* Q5_K: Q4_K plus a fifth bit per value from qh (bit j of qh[l] for sub-block j). */
KINLINE void q5_k_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {
    const __m256i m4 = _mm256_set1_epi8(0xF), one = _mm256_set1_epi8(1);
    __m256 acc[4];
    for (int k = 0; k < nt; k++) acc[k] = _mm256_setzero_ps();
    for (int i = 0; i < a->nb; i++) {
        const uint8_t *blk = row + 176 * (int64_t) i;
        const float dw = f16(blk), dminw = f16(blk + 2);
        uint32_t utmp[4];
        k_scales(blk, utmp);
        const uint8_t *sc = (const uint8_t *) utmp;
        const __m128i mins = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, (int) utmp[3], (int) utmp[2]));
        const __m256i hbits = _mm256_loadu_si256((const __m256i *) (blk + 16));
        __m256i sumi[4];
        k_mins(acc, sumi, a, t0, nt, i, mins, dminw);
        for (int j = 0; j < 4; j++) {
            const __m256i scale_l = _mm256_set1_epi16(sc[2 * j]);
            const __m256i scale_h = _mm256_set1_epi16(sc[2 * j + 1]);
            const __m256i bits = _mm256_loadu_si256((const __m256i *) (blk + 48 + 32 * j));
            const __m256i hl = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j), one), 4);
            const __m256i hh = _mm256_slli_epi16(_mm256_and_si256(_mm256_srli_epi16(hbits, 2 * j + 1), one), 4);
            const __m256i q5l = _mm256_or_si256(_mm256_and_si256(bits, m4), hl);
            const __m256i q5h = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi16(bits, 4), m4), hh);
            for (int k = 0; k < nt; k++) {
                const int8_t *q8 = a->q + ((int64_t) (t0 + k) * a->nb + i) * 256 + 64 * j;
                const __m256i pl = _mm256_madd_epi16(scale_l, _mm256_maddubs_epi16(q5l, _mm256_loadu_si256((const __m256i *) q8)));
                const __m256i ph = _mm256_madd_epi16(scale_h, _mm256_maddubs_epi16(q5h, _mm256_loadu_si256((const __m256i *) (q8 + 32))));
                sumi[k] = _mm256_add_epi32(sumi[k], _mm256_add_epi32(pl, ph));
            }
        }
        for (int k = 0; k < nt; k++) {
            const float d = dw * a->d[(int64_t) (t0 + k) * a->nb + i];
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(d), _mm256_cvtepi32_ps(sumi[k]), acc[k]);
        }
    }
    for (int k = 0; k < nt; k++) res[k] = hsum8(acc[k]);
}

/* F16 and BF16 weights: widened to fp32 8 at a time (exact), fused multiply-add with the activations. */
#define WIDE_KERNEL(name, widen, scalar)                                                              \
    KINLINE void name##_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {       \
        __m256 acc[4];                                                                                \
        for (int k = 0; k < nt; k++) acc[k] = _mm256_setzero_ps();                                    \
        const int n8 = a->cols & ~7;                                                                  \
        for (int c = 0; c < n8; c += 8) {                                                             \
            const __m256 wv = widen(_mm_loadu_si128((const __m128i *) (row + 2 * c)));                \
            for (int k = 0; k < nt; k++) {                                                            \
                acc[k] = _mm256_fmadd_ps(wv, _mm256_loadu_ps(a->d + (int64_t) (t0 + k) * a->cols + c), acc[k]); \
            }                                                                                         \
        }                                                                                             \
        for (int k = 0; k < nt; k++) {                                                                \
            float s = hsum8(acc[k]);                                                                  \
            const float *x = a->d + (int64_t) (t0 + k) * a->cols;                                     \
            for (int c = n8; c < a->cols; c++) s += scalar(load_u16(row + 2 * c)) * x[c];             \
            res[k] = s;                                                                               \
        }                                                                                             \
    }
KINLINE __m256 widen_f16(__m128i h) {
    return _mm256_cvtph_ps(h);
}
KINLINE __m256 widen_bf16(__m128i h) {
    return _mm256_castsi256_ps(_mm256_slli_epi32(_mm256_cvtepu16_epi32(h), 16));
}
WIDE_KERNEL(f16, widen_f16, fp16_to_fp32)
WIDE_KERNEL(bf16, widen_bf16, bf16_to_fp32)

#define AVX2_ROW_FN(name)                                                                             \
    static void rows_##name(const uint8_t *row, const acts *a, int t0, int nt, float *res) {           \
        switch (nt) {                                                                                 \
            case 1: name##_n(row, a, t0, 1, res); break;                                              \
            case 2: name##_n(row, a, t0, 2, res); break;                                              \
            case 3: name##_n(row, a, t0, 3, res); break;                                              \
            default: name##_n(row, a, t0, 4, res); break;                                             \
        }                                                                                             \
    }                                                                                                 \
    ROW_TILE(tile_##name, rows_##name)
AVX2_ROW_FN(q4_k)
AVX2_ROW_FN(q5_k)
AVX2_ROW_FN(q6_k)
AVX2_ROW_FN(f16)
AVX2_ROW_FN(bf16)

void strata_fill_avx2(kernel *table) {
    table[TYPE_Q4_0] = (kernel) {tile_q4_0_avx2, T256_MAX_ROWS, T256_MAX_TOKENS, "q4_0 tile 3x4 avx2"};
    table[TYPE_Q8_0] = (kernel) {tile_q8_0_avx2, T256_MAX_ROWS, T256_MAX_TOKENS, "q8_0 tile 3x4 avx2"};
    table[TYPE_Q4_K] = (kernel) {tile_q4_k, 1, 4, "q4_k row avx2"};
    table[TYPE_Q5_K] = (kernel) {tile_q5_k, 1, 4, "q5_k row avx2"};
    table[TYPE_Q6_K] = (kernel) {tile_q6_k, 1, 4, "q6_k row avx2"};
    table[TYPE_F16] = (kernel) {tile_f16, 1, 4, "f16 row avx2"};
    table[TYPE_BF16] = (kernel) {tile_bf16, 1, 4, "bf16 row avx2"};
}
#endif
