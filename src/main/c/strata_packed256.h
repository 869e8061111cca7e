/*
 * Repacked Q4_0 (and, where the level's dot takes w + 128, Q8_0) on 256-bit vectors: one 8-row
 * half of a 16-row group per ymm, one int32 lane per row (layout in strata_repack.c). Included by
 * the avx2 and avxvnni files, which pass P8_SHAPES a LOAD (the 8 weight groups of a block) and a
 *   DOT(start, w, x)  start + the dot of 8 weight groups w[g] with 8 broadcast activation
 *                     groups x[g] per int32 lane (the 32 products of one block per row).
 */
#define P8_PREFETCH 1024
#define P8_CAT2(a, b) a##_##b
#define P8_CAT(a, b) P8_CAT2(a, b)

#define P8_LOAD_Q4(blk, half, wv)                                                                    \
    for (int c = 0; c < 4; c++) {                                                                     \
        const __m256i raw = _mm256_loadu_si256((const __m256i *) ((blk) + 32 + 64 * c + 32 * (half))); \
        wv[c] = _mm256_and_si256(raw, _mm256_set1_epi8(0x0F));                                        \
        wv[c + 4] = _mm256_and_si256(_mm256_srli_epi16(raw, 4), _mm256_set1_epi8(0x0F));              \
    }
#define P8_LOAD_Q8(blk, half, wv)                                                                    \
    for (int c = 0; c < 8; c++) wv[c] = _mm256_loadu_si256((const __m256i *) ((blk) + 32 + 64 * c + 32 * (half)));

#define P8_BODY(block_bytes, offset, LOAD, DOT, NT)                                                        \
    do {                                                                                              \
        const int nb = a->nb, half = (r0 % PACK_ROWS) / 8;                                            \
        const uint8_t *grp = w + (int64_t) (r0 / PACK_ROWS) * PACK_ROWS * row_bytes;                  \
        __m256 acc[NT];                                                                               \
        for (int t = 0; t < NT; t++) acc[t] = _mm256_setzero_ps();                                    \
        for (int b = 0; b < nb; b++) {                                                                \
            const uint8_t *blk = grp + (int64_t) b * PACK_ROWS * (block_bytes);                       \
            for (int p = 0; p < PACK_ROWS * (block_bytes) / 2; p += 64)                               \
                _mm_prefetch((const char *) blk + P8_PREFETCH + p + half * 32, _MM_HINT_T0);          \
            const __m256 dw = _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *) (blk + 16 * half)));  \
            __m256i wv[8];                                                                            \
            LOAD(blk, half, wv)                                                                       \
            for (int t = 0; t < NT; t++) {                                                            \
                const int64_t tb = (int64_t) (t0 + t) * nb + b;                                       \
                const int8_t *x = a->q + (int64_t) (t0 + t) * a->cols + 32 * b;                       \
                __m256i xv[8];                                                                        \
                for (int g = 0; g < 8; g++) xv[g] = _mm256_set1_epi32(load_i32(x + 4 * g));           \
                const __m256i s = DOT(_mm256_set1_epi32(-(offset) * a->xsum[tb]), wv, xv);         \
                acc[t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_mul_ps(dw, _mm256_set1_ps(a->d[tb])), acc[t]); \
            }                                                                                         \
        }                                                                                             \
        float lanes[8];                                                                               \
        for (int t = 0; t < NT; t++) {                                                                \
            _mm256_storeu_ps(lanes, acc[t]);                                                          \
            for (int r = 0; r < nr; r++) out[(int64_t) (t0 + t) * stride + r0 + r] = lanes[r0 % 8 + r]; \
        }                                                                                             \
    } while (0)

#define P8_SHAPES(name, block_bytes, offset, LOAD, DOT)                                                    \
    static void name(const uint8_t *w, int64_t row_bytes, const acts *a, int r0, int nr, int t0, int nt, \
                     float *out, int stride) {                                                        \
        switch (nt) {                                                                                 \
            case 1: P8_BODY(block_bytes, offset, LOAD, DOT, 1); break;                                     \
            case 2: P8_BODY(block_bytes, offset, LOAD, DOT, 2); break;                                     \
            case 3: P8_BODY(block_bytes, offset, LOAD, DOT, 3); break;                                     \
            default: P8_BODY(block_bytes, offset, LOAD, DOT, 4); break;                                    \
        }                                                                                             \
    }
#define P8_MAX_TOKENS 4
