/*
 * Strata native kernels: quantized weight rows (Q4_0, Q8_0, Q4_K, Q6_K, ggml block layouts) dotted
 * with activations already quantized by dev.strata.tensor.quant.ActivationQuantizer (Q8_0 blocks
 * for Q4_0/Q8_0, Q8_K blocks for the K-quants). Called from Java through FFM downcalls.
 *
 * Two paths, picked once per call from the CPU's features: AVX2+FMA (llama.cpp's maddubs/sign
 * tricks, compiled with per-function target attributes so the library still loads on older CPUs)
 * and a portable scalar fallback that mirrors ggml's generic code. Integer block sums are exact in
 * both, so results differ from Strata's scalar reference only in float summation order.
 */
#include <stdint.h>
#include <string.h>

#include "strata_kernels.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define STRATA_X86 1
#include <immintrin.h>
#endif

#define EXPORT __attribute__((visibility("default")))

enum { TYPE_Q4_0 = 2, TYPE_Q8_0 = 8, TYPE_Q4_K = 12, TYPE_Q6_K = 14 };

/* Tokens dotted per pass over a weight row; each weight block is decoded once per pass. */
#define TOKEN_GROUP 4
/* Bytes of weight rows kept hot in L2 while every token group streams past them. */
#define ROW_TILE_BYTES (96 * 1024)

typedef struct {
    const int8_t *q;       /* nTokens * cols int8 quants */
    const float *d;        /* one scale per block per token */
    const int16_t *bsums;  /* Q8_K: 16 sums per block per token */
    int cols;
    int nb;                /* blocks per token row */
} acts;

/* Dots one weight row with tokens t0 .. t0+nt-1 (nt <= TOKEN_GROUP) into res[0..nt). */
typedef void (*row_fn)(const uint8_t *row, const acts *a, int t0, int nt, float *res);

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

/* ---------------------------------------------------------------- scalar ------------------ */

static float dot_q8_0_scalar(const uint8_t *row, const acts *a, int t) {
    const int8_t *xq = a->q + (int64_t) t * a->cols;
    const float *xd = a->d + (int64_t) t * a->nb;
    float sumf = 0;
    for (int b = 0; b < a->nb; b++) {
        const uint8_t *blk = row + 34 * (int64_t) b;
        const int8_t *qw = (const int8_t *) (blk + 2);
        int sumi = 0;
        for (int j = 0; j < 32; j++) sumi += qw[j] * xq[32 * b + j];
        sumf += sumi * (fp16_to_fp32(load_u16(blk)) * xd[b]);
    }
    return sumf;
}

static float dot_q4_0_scalar(const uint8_t *row, const acts *a, int t) {
    const int8_t *xq = a->q + (int64_t) t * a->cols;
    const float *xd = a->d + (int64_t) t * a->nb;
    float sumf = 0;
    for (int b = 0; b < a->nb; b++) {
        const uint8_t *blk = row + 18 * (int64_t) b;
        int sumi = 0;
        for (int j = 0; j < 16; j++) {
            int v = blk[2 + j];
            sumi += ((v & 0x0F) - 8) * xq[32 * b + j] + ((v >> 4) - 8) * xq[32 * b + j + 16];
        }
        sumf += sumi * fp16_to_fp32(load_u16(blk)) * xd[b];
    }
    return sumf;
}

static void q4k_scale_min(const uint8_t *s, int j, int *sc, int *m) {
    if (j < 4) {
        *sc = s[j] & 63;
        *m = s[j + 4] & 63;
    } else {
        *sc = (s[j + 4] & 0xF) | ((s[j - 4] >> 6) << 4);
        *m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
    }
}

static float dot_q4_k_scalar(const uint8_t *row, const acts *a, int t) {
    float sumf = 0;
    for (int i = 0; i < a->nb; i++) {
        const uint8_t *blk = row + 144 * (int64_t) i;
        int64_t bi = (int64_t) t * a->nb + i;
        const int8_t *xq = a->q + bi * 256;
        const int16_t *bs = a->bsums + bi * 16;
        int sumi = 0, summ = 0;
        for (int j = 0; j < 8; j++) {
            int sc, m;
            q4k_scale_min(blk + 4, j, &sc, &m);
            const uint8_t *qs = blk + 16 + 32 * (j / 2);
            int shift = (j & 1) * 4, s = 0;
            for (int l = 0; l < 32; l++) s += ((qs[l] >> shift) & 0xF) * xq[32 * j + l];
            sumi += sc * s;
            summ += m * (bs[2 * j] + bs[2 * j + 1]);
        }
        sumf += fp16_to_fp32(load_u16(blk)) * a->d[bi] * sumi - fp16_to_fp32(load_u16(blk + 2)) * a->d[bi] * summ;
    }
    return sumf;
}

static float dot_q6_k_scalar(const uint8_t *row, const acts *a, int t) {
    float sumf = 0;
    for (int i = 0; i < a->nb; i++) {
        const uint8_t *blk = row + 210 * (int64_t) i;
        int64_t bi = (int64_t) t * a->nb + i;
        const int8_t *xq = a->q + bi * 256;
        const int8_t *scales = (const int8_t *) (blk + 192);
        int sumi = 0;
        for (int n = 0; n < 2; n++) {
            const uint8_t *ql = blk + 64 * n, *qh = blk + 128 + 32 * n;
            int sub[4][2] = {{0}};
            for (int l = 0; l < 32; l++) {
                int e = 128 * n + l;
                int q0 = ((ql[l] & 0xF) | ((qh[l] & 3) << 4)) - 32;
                int q1 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                int q2 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                int q3 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                sub[0][l / 16] += q0 * xq[e];
                sub[1][l / 16] += q1 * xq[e + 32];
                sub[2][l / 16] += q2 * xq[e + 64];
                sub[3][l / 16] += q3 * xq[e + 96];
            }
            for (int k = 0; k < 4; k++) {
                for (int h = 0; h < 2; h++) sumi += scales[8 * n + 2 * k + h] * sub[k][h];
            }
        }
        sumf += fp16_to_fp32(load_u16(blk + 208)) * a->d[bi] * sumi;
    }
    return sumf;
}

#define SCALAR_ROW_FN(name, dot)                                                         \
    static void name(const uint8_t *row, const acts *a, int t0, int nt, float *res) {   \
        for (int k = 0; k < nt; k++) res[k] = dot(row, a, t0 + k);                       \
    }
SCALAR_ROW_FN(rows_q8_0_scalar, dot_q8_0_scalar)
SCALAR_ROW_FN(rows_q4_0_scalar, dot_q4_0_scalar)
SCALAR_ROW_FN(rows_q4_k_scalar, dot_q4_k_scalar)
SCALAR_ROW_FN(rows_q6_k_scalar, dot_q6_k_scalar)

#ifdef STRATA_X86
#include "strata_kernels_avx2.h"
#endif

/* ---------------------------------------------------------------- driver ------------------ */

static int use_avx2(void) {
#ifdef STRATA_X86
    static int cached = -1;
    if (cached < 0) {
        __builtin_cpu_init();
        cached = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    }
    return cached;
#else
    return 0;
#endif
}

static row_fn pick(int type, int simd) {
#ifdef STRATA_X86
    if (simd) {
        switch (type) {
            case TYPE_Q8_0: return rows_q8_0_avx2;
            case TYPE_Q4_0: return rows_q4_0_avx2;
            case TYPE_Q4_K: return rows_q4_k_avx2;
            case TYPE_Q6_K: return rows_q6_k_avx2;
        }
        return 0;
    }
#else
    (void) simd;
#endif
    switch (type) {
        case TYPE_Q8_0: return rows_q8_0_scalar;
        case TYPE_Q4_0: return rows_q4_0_scalar;
        case TYPE_Q4_K: return rows_q4_k_scalar;
        case TYPE_Q6_K: return rows_q6_k_scalar;
    }
    return 0;
}

EXPORT int strata_abi_version(void) {
    return STRATA_ABI_VERSION;
}

EXPORT int strata_cpu_has_avx2(void) {
    return use_avx2();
}

EXPORT int strata_supports(int type) {
    return pick(type, 0) != 0;
}

EXPORT int strata_matmul(int type, int simd, const uint8_t *w, int64_t row_bytes, int cols,
                         const int8_t *xq, const float *xd, const int16_t *xbsums, int n_tokens,
                         float *out, int out_stride, int row_start, int row_end) {
    row_fn fn = pick(type, simd && use_avx2());
    if (!fn) return -1;
    int block = (type == TYPE_Q4_K || type == TYPE_Q6_K) ? 256 : 32;
    acts a = {xq, xd, xbsums, cols, cols / block};
    int tile = row_bytes >= ROW_TILE_BYTES ? 1 : (int) (ROW_TILE_BYTES / row_bytes);
    float res[TOKEN_GROUP];
    for (int r0 = row_start; r0 < row_end; r0 += tile) {
        int r1 = row_end - r0 < tile ? row_end : r0 + tile;
        for (int t = 0; t < n_tokens; t += TOKEN_GROUP) {
            int nt = n_tokens - t < TOKEN_GROUP ? n_tokens - t : TOKEN_GROUP;
            for (int r = r0; r < r1; r++) {
                fn(w + (int64_t) r * row_bytes, &a, t, nt, res);
                for (int k = 0; k < nt; k++) out[(int64_t) (t + k) * out_stride + r] = res[k];
            }
        }
    }
    return 0;
}
