/*
 * AVX2 + FMA row kernels, included by strata_kernels.c on x86-64 only. Every function carries
 * its own target attribute, so the rest of the library is built for the baseline ISA and these
 * run only after strata_cpu_has_avx2() said yes. The int8 dot products follow llama.cpp's AVX2
 * code: _mm256_maddubs_epi16 multiplies unsigned by signed bytes, so a signed weight is made
 * unsigned with _mm256_sign_epi8 (|w|) and its sign moved onto the activation.
 *
 * Each kernel handles one weight row against nt <= 4 tokens: a weight block is loaded and
 * unpacked once, then dotted with every token of the group (the prefill win).
 */
#define AVX2_FN static inline __attribute__((target("avx2,fma,f16c")))
#define AVX2_INLINE static inline __attribute__((always_inline, target("avx2,fma,f16c")))

AVX2_INLINE float hsum8(__m256 x) {
    __m128 r = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

AVX2_INLINE float f16(const uint8_t *p) {
    return _cvtsh_ss(load_u16(p));
}

/* 32 signed weights (|w| and the block's raw quants) against 32 int8 activations -> 8 x int32 as float. */
AVX2_INLINE __m256 i8_dot(__m256i absw, __m256i w, __m256i y) {
    const __m256i dot16 = _mm256_maddubs_epi16(absw, _mm256_sign_epi8(y, w));
    return _mm256_cvtepi32_ps(_mm256_madd_epi16(dot16, _mm256_set1_epi16(1)));
}

/* Q8_0 and Q4_0 share the loop; only the unpacking of the 32 weights differs. */
AVX2_INLINE __m256i unpack_q8_0(const uint8_t *blk) {
    return _mm256_loadu_si256((const __m256i *) (blk + 2));
}

AVX2_INLINE __m256i unpack_q4_0(const uint8_t *blk) {
    const __m128i raw = _mm_loadu_si128((const __m128i *) (blk + 2));
    const __m256i nib = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw, 4), raw), _mm256_set1_epi8(0x0F));
    return _mm256_sub_epi8(nib, _mm256_set1_epi8(8));
}

#define Q32_KERNEL(name, block_bytes, unpack)                                                   \
    AVX2_INLINE void name##_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) { \
        __m256 acc[4];                                                                          \
        for (int k = 0; k < nt; k++) acc[k] = _mm256_setzero_ps();                              \
        const int8_t *xq = a->q + (int64_t) t0 * a->cols;                                       \
        const float *xd = a->d + (int64_t) t0 * a->nb;                                          \
        for (int b = 0; b < a->nb; b++) {                                                       \
            const uint8_t *blk = row + (int64_t) (block_bytes) * b;                             \
            const float dw = f16(blk);                                                          \
            const __m256i qw = unpack(blk);                                                     \
            const __m256i aw = _mm256_sign_epi8(qw, qw);                                        \
            for (int k = 0; k < nt; k++) {                                                      \
                const __m256i qy = _mm256_loadu_si256((const __m256i *) (xq + (int64_t) k * a->cols + 32 * b)); \
                acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(dw * xd[(int64_t) k * a->nb + b]), i8_dot(aw, qw, qy), acc[k]); \
            }                                                                                   \
        }                                                                                       \
        for (int k = 0; k < nt; k++) res[k] = hsum8(acc[k]);                                    \
    }

Q32_KERNEL(q8_0, 34, unpack_q8_0)
Q32_KERNEL(q4_0, 18, unpack_q4_0)

/* Q4_K: 8 sub-blocks of 32 with 6-bit scales and mins; the mins meet the activations through bsums. */
AVX2_INLINE void q4_k_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {
    const uint32_t kmask1 = 0x3f3f3f3f, kmask2 = 0x0f0f0f0f, kmask3 = 0x03030303;
    const __m256i m4 = _mm256_set1_epi8(0xF);
    __m256 acc[4];
    for (int k = 0; k < nt; k++) acc[k] = _mm256_setzero_ps();
    for (int i = 0; i < a->nb; i++) {
        const uint8_t *blk = row + 144 * (int64_t) i;
        const float dw = f16(blk), dminw = f16(blk + 2);
        uint32_t utmp[4];
        memcpy(utmp, blk + 4, 12);
        utmp[3] = ((utmp[2] >> 4) & kmask2) | (((utmp[1] >> 6) & kmask3) << 4);
        const uint32_t uaux = utmp[1] & kmask1;
        utmp[1] = (utmp[2] & kmask2) | (((utmp[0] >> 6) & kmask3) << 4);
        utmp[2] = uaux;
        utmp[0] &= kmask1;
        const uint8_t *sc = (const uint8_t *) utmp; /* sc[0..8): scales, sc[8..16): mins */
        const __m128i mins = _mm_cvtepu8_epi16(_mm_set_epi32(0, 0, (int) utmp[3], (int) utmp[2]));
        __m256i sumi[4];
        for (int k = 0; k < nt; k++) {
            const int64_t bi = (int64_t) (t0 + k) * a->nb + i;
            const __m256i bs = _mm256_loadu_si256((const __m256i *) (a->bsums + bi * 16));
            const __m128i pair = _mm_hadd_epi16(_mm256_castsi256_si128(bs), _mm256_extracti128_si256(bs, 1));
            const __m128i prod = _mm_madd_epi16(mins, pair);
            acc[k] = _mm256_fmadd_ps(_mm256_set1_ps(-dminw * a->d[bi]), _mm256_cvtepi32_ps(_mm256_zextsi128_si256(prod)), acc[k]);
            sumi[k] = _mm256_setzero_si256();
        }
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
AVX2_INLINE void q6_k_n(const uint8_t *row, const acts *a, int t0, const int nt, float *res) {
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

#define AVX2_ROW_FN(name)                                                                     \
    __attribute__((target("avx2,fma,f16c"))) static void rows_##name##_avx2(                  \
            const uint8_t *row, const acts *a, int t0, int nt, float *res) {                   \
        switch (nt) {                                                                          \
            case 1: name##_n(row, a, t0, 1, res); break;                                       \
            case 2: name##_n(row, a, t0, 2, res); break;                                       \
            case 3: name##_n(row, a, t0, 3, res); break;                                       \
            default: name##_n(row, a, t0, 4, res); break;                                      \
        }                                                                                      \
    }
AVX2_ROW_FN(q8_0)
AVX2_ROW_FN(q4_0)
AVX2_ROW_FN(q4_k)
AVX2_ROW_FN(q6_k)
