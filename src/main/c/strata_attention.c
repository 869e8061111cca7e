/*
 * Attention over the F16 KV cache, the two loops of one (row, head): the scores q.k_j * scale
 * over n cached positions, and the weighted value sum out += w_j * v_j. Positions are stride bytes
 * apart (a KV page holds whole positions, every head's values side by side). The query and the
 * weights arrive already rounded to F16 values, as ggml rounds both operands of its F16 matmuls,
 * so only the summation order differs from the Java loops. One function per level.
 */
#include "strata_kernels.h"
#include "strata_internal.h"
#if defined(__x86_64__)
#include <immintrin.h>
#endif

static void scores_portable(const uint8_t *k, int64_t stride, int n, const float *q, int hd, float scale, float *s) {
    for (int j = 0; j < n; j++, k += stride) {
        float acc = 0;
        for (int i = 0; i < hd; i++) acc += q[i] * fp16_to_fp32(load_u16(k + 2 * i));
        s[j] = acc * scale;
    }
}

static void values_portable(const uint8_t *v, int64_t stride, int n, const float *w, int hd, float *out) {
    for (int j = 0; j < n; j++, v += stride)
        for (int i = 0; i < hd; i++) out[i] += w[j] * fp16_to_fp32(load_u16(v + 2 * i));
}

#if defined(__x86_64__)
__attribute__((target("avx2,fma,f16c"))) static void scores_avx2(const uint8_t *k, int64_t stride, int n, const float *q, int hd,
                                                                   float scale, float *s) {
    const int h8 = hd & ~7;
    for (int j = 0; j < n; j++, k += stride) {
        __m256 acc = _mm256_setzero_ps();
        for (int i = 0; i < h8; i += 8)
            acc = _mm256_fmadd_ps(_mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) (k + 2 * i))), _mm256_loadu_ps(q + i), acc);
        __m128 r = _mm_add_ps(_mm256_extractf128_ps(acc, 1), _mm256_castps256_ps128(acc));
        r = _mm_add_ps(r, _mm_movehl_ps(r, r));
        r = _mm_add_ss(r, _mm_movehdup_ps(r));
        float sum = _mm_cvtss_f32(r);
        for (int i = h8; i < hd; i++) sum += q[i] * _cvtsh_ss(load_u16(k + 2 * i));
        s[j] = sum * scale;
    }
}

__attribute__((target("avx2,fma,f16c"))) static void values_avx2(const uint8_t *v, int64_t stride, int n, const float *w, int hd, float *out) {
    const int h8 = hd & ~7;
    for (int i = 0; i < h8; i += 8) {
        __m256 acc = _mm256_loadu_ps(out + i);
        const uint8_t *p = v + 2 * i;
        for (int j = 0; j < n; j++, p += stride)
            acc = _mm256_fmadd_ps(_mm256_set1_ps(w[j]), _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) p)), acc);
        _mm256_storeu_ps(out + i, acc);
    }
    for (int i = h8; i < hd; i++) {
        float acc = out[i];
        for (int j = 0; j < n; j++) acc += w[j] * _cvtsh_ss(load_u16(v + j * stride + 2 * i));
        out[i] = acc;
    }
}

__attribute__((target("avx512f,avx2,fma,f16c"))) static void scores_avx512(const uint8_t *k, int64_t stride, int n, const float *q,
                                                                             int hd, float scale, float *s) {
    const int h16 = hd & ~15;
    for (int j = 0; j < n; j++, k += stride) {
        __m512 acc = _mm512_setzero_ps();
        for (int i = 0; i < h16; i += 16)
            acc = _mm512_fmadd_ps(_mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) (k + 2 * i))), _mm512_loadu_ps(q + i), acc);
        float sum = _mm512_reduce_add_ps(acc);
        for (int i = h16; i < hd; i++) sum += q[i] * _cvtsh_ss(load_u16(k + 2 * i));
        s[j] = sum * scale;
    }
}

__attribute__((target("avx512f,avx2,fma,f16c"))) static void values_avx512(const uint8_t *v, int64_t stride, int n, const float *w, int hd,
                                                                             float *out) {
    const int h16 = hd & ~15;
    for (int i = 0; i < h16; i += 16) {
        __m512 acc = _mm512_loadu_ps(out + i);
        const uint8_t *p = v + 2 * i;
        for (int j = 0; j < n; j++, p += stride)
            acc = _mm512_fmadd_ps(_mm512_set1_ps(w[j]), _mm512_cvtph_ps(_mm256_loadu_si256((const __m256i *) p)), acc);
        _mm512_storeu_ps(out + i, acc);
    }
    for (int i = h16; i < hd; i++) {
        float acc = out[i];
        for (int j = 0; j < n; j++) acc += w[j] * _cvtsh_ss(load_u16(v + j * stride + 2 * i));
        out[i] = acc;
    }
}
#endif

/* scores[s_off + j] = scale * dot(q[q_off ..+hd), key j) for j < n, key j at k + k_off + j * stride. */
EXPORT int strata_attn_scores(int level, const uint8_t *k, int64_t k_off, int64_t stride, int n, const float *q, int q_off, int hd,
                              float scale, float *scores, int s_off) {
    if (!strata_cpu_runs(level)) return -2;
#if defined(__x86_64__)
    if (level == STRATA_AVX512VNNI) { scores_avx512(k + k_off, stride, n, q + q_off, hd, scale, scores + s_off); return 0; }
    if (level != STRATA_PORTABLE) { scores_avx2(k + k_off, stride, n, q + q_off, hd, scale, scores + s_off); return 0; }
#endif
    scores_portable(k + k_off, stride, n, q + q_off, hd, scale, scores + s_off);
    return 0;
}

/* out[o_off ..+hd) += w[w_off + j] * value j for j < n, value j at v + v_off + j * stride. */
EXPORT int strata_attn_values(int level, const uint8_t *v, int64_t v_off, int64_t stride, int n, const float *w, int w_off, int hd,
                              float *out, int o_off) {
    if (!strata_cpu_runs(level)) return -2;
#if defined(__x86_64__)
    if (level == STRATA_AVX512VNNI) { values_avx512(v + v_off, stride, n, w + w_off, hd, out + o_off); return 0; }
    if (level != STRATA_PORTABLE) { values_avx2(v + v_off, stride, n, w + w_off, hd, out + o_off); return 0; }
#endif
    values_portable(v + v_off, stride, n, w + w_off, hd, out + o_off);
    return 0;
}
