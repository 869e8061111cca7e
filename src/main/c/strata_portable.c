/*
 * Portable C kernels: the reference path of libstrata, mirroring ggml's generic code. Integer block
 * sums are exact, so results differ from Strata's Java scalar reference only in float summation
 * order. They run on any CPU and are the fallback for every type a higher level lacks.
 */
#include "strata_internal.h"

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

/* Q4_K and Q5_K share the super-block layout; Q5_K (fifth = 1) adds a fifth bit per value from qh at byte 16. */
static float dot_q45_k_scalar(const uint8_t *row, const acts *a, int t, int fifth) {
    const int64_t bytes = fifth ? 176 : 144;
    const int quants = fifth ? 48 : 16;
    float sumf = 0;
    for (int i = 0; i < a->nb; i++) {
        const uint8_t *blk = row + bytes * (int64_t) i;
        int64_t bi = (int64_t) t * a->nb + i;
        const int8_t *xq = a->q + bi * 256;
        const int16_t *bs = a->bsums + bi * 16;
        int sumi = 0, summ = 0;
        for (int j = 0; j < 8; j++) {
            int sc, m;
            q4k_scale_min(blk + 4, j, &sc, &m);
            const uint8_t *qs = blk + quants + 32 * (j / 2);
            int shift = (j & 1) * 4, s = 0;
            for (int l = 0; l < 32; l++) {
                int hi = fifth ? ((blk[16 + l] >> j) & 1) << 4 : 0;
                s += (((qs[l] >> shift) & 0xF) | hi) * xq[32 * j + l];
            }
            sumi += sc * s;
            summ += m * (bs[2 * j] + bs[2 * j + 1]);
        }
        sumf += fp16_to_fp32(load_u16(blk)) * a->d[bi] * sumi - fp16_to_fp32(load_u16(blk + 2)) * a->d[bi] * summ;
    }
    return sumf;
}

static float dot_q4_k_scalar(const uint8_t *row, const acts *a, int t) {
    return dot_q45_k_scalar(row, a, t, 0);
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

static float dot_q5_k_scalar(const uint8_t *row, const acts *a, int t) {
    return dot_q45_k_scalar(row, a, t, 1);
}

static float dot_f16_scalar(const uint8_t *row, const acts *a, int t) {
    const float *x = a->d + (int64_t) t * a->cols;
    float sumf = 0;
    for (int c = 0; c < a->cols; c++) sumf += fp16_to_fp32(load_u16(row + 2 * c)) * x[c];
    return sumf;
}

static float dot_bf16_scalar(const uint8_t *row, const acts *a, int t) {
    const float *x = a->d + (int64_t) t * a->cols;
    float sumf = 0;
    for (int c = 0; c < a->cols; c++) sumf += bf16_to_fp32(load_u16(row + 2 * c)) * x[c];
    return sumf;
}

#define SCALAR_TILE(name)                                                                             \
    static void tile_##name##_scalar(const uint8_t *w, int64_t row_bytes, const acts *a, int r0, int nr, \
                                     int t0, int nt, float *out, int stride) {                        \
        for (int t = t0; t < t0 + nt; t++) {                                                          \
            for (int r = r0; r < r0 + nr; r++) {                                                      \
                out[(int64_t) t * stride + r] = dot_##name##_scalar(w + (int64_t) r * row_bytes, a, t); \
            }                                                                                         \
        }                                                                                             \
    }
SCALAR_TILE(q8_0)
SCALAR_TILE(q4_0)
SCALAR_TILE(q4_k)
SCALAR_TILE(q5_k)
SCALAR_TILE(q6_k)
SCALAR_TILE(f16)
SCALAR_TILE(bf16)

void strata_fill_portable(kernel *table) {
    table[TYPE_Q8_0] = (kernel) {tile_q8_0_scalar, 1, 1, "q8_0 row portable"};
    table[TYPE_Q4_0] = (kernel) {tile_q4_0_scalar, 1, 1, "q4_0 row portable"};
    table[TYPE_Q4_K] = (kernel) {tile_q4_k_scalar, 1, 1, "q4_k row portable"};
    table[TYPE_Q5_K] = (kernel) {tile_q5_k_scalar, 1, 1, "q5_k row portable"};
    table[TYPE_Q6_K] = (kernel) {tile_q6_k_scalar, 1, 1, "q6_k row portable"};
    table[TYPE_F16] = (kernel) {tile_f16_scalar, 1, 1, "f16 row portable"};
    table[TYPE_BF16] = (kernel) {tile_bf16_scalar, 1, 1, "bf16 row portable"};
}
