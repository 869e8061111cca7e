/*
 * Q4_0 and Q8_0 GEMM tiles on 256-bit vectors, one ggml block (32 values) per vector: TILE_R
 * weight rows x TILE_T tokens per pass, int8 dot products accumulated in int32 lanes, scaled
 * into float accumulators held in registers. Included by the avx2 and avxvnni files, which
 * define the unsigned x signed dot DOTU and the Q8_0 weight handling Q8_* for their level:
 *   Q8_WPREP(w)            weight vector as the level multiplies it;
 *   Q8_BIAS(x)             int32 lanes that start each token's block sum (offset correction);
 *   Q8_DOT(bias, wp, w, x) bias + dot(w, x) per int32 lane.
 * Q4_0 nibbles are 0..15, so they enter DOTU unsigned and the -8 is folded into a per-token
 * start value -8 * sum(x), computed once per block and shared by the tile's rows.
 */
/* bytes ahead of the current block that each row prefetches */
#define T256_PREFETCH 512
#define T256_CAT2(a, b) a##_##b
#define T256_CAT(a, b) T256_CAT2(a, b)

static inline __attribute__((always_inline)) float T256_CAT(hsum, SUFFIX)(__m256 x) {
    __m128 r = _mm_add_ps(_mm256_extractf128_ps(x, 1), _mm256_castps256_ps128(x));
    r = _mm_add_ps(r, _mm_movehl_ps(r, r));
    r = _mm_add_ss(r, _mm_movehdup_ps(r));
    return _mm_cvtss_f32(r);
}

static inline __attribute__((always_inline)) __m256i T256_CAT(q4_bias, SUFFIX)(__m256i x) {
    return _mm256_sub_epi32(_mm256_setzero_si256(), DOTU(_mm256_setzero_si256(), _mm256_set1_epi8(8), x));
}

#define T256_BODY(kind, block_bytes, NR, NT)                                                          \
    do {                                                                                              \
        __m256 acc[NR][NT];                                                                           \
        for (int r = 0; r < NR; r++)                                                                  \
            for (int t = 0; t < NT; t++) acc[r][t] = _mm256_setzero_ps();                             \
        const int nb = a->nb;                                                                         \
        for (int b = 0; b < nb; b++) {                                                                \
            __m256i xv[NT], bias[NT];                                                                 \
            float dx[NT];                                                                             \
            for (int t = 0; t < NT; t++) {                                                            \
                xv[t] = _mm256_loadu_si256((const __m256i *) (a->q + (int64_t) (t0 + t) * a->cols + 32 * b)); \
                bias[t] = kind##_START(xv[t]);                                                        \
                dx[t] = a->d[(int64_t) (t0 + t) * nb + b];                                            \
            }                                                                                         \
            for (int r = 0; r < NR; r++) {                                                            \
                const uint8_t *blk = w + (int64_t) (r0 + r) * row_bytes + (int64_t) (block_bytes) * b;  \
                /* several rows stream at once; the prefetchers alone leave decode waiting on DRAM */   \
                _mm_prefetch((const char *) blk + T256_PREFETCH, _MM_HINT_T0);                        \
                const float dw = _cvtsh_ss(load_u16(blk));                                            \
                kind##_LOAD(blk);                                                                     \
                for (int t = 0; t < NT; t++) {                                                        \
                    const __m256i s = kind##_PAIR(bias[t], xv[t]);                                    \
                    acc[r][t] = _mm256_fmadd_ps(_mm256_cvtepi32_ps(s), _mm256_set1_ps(dw * dx[t]), acc[r][t]); \
                }                                                                                     \
            }                                                                                         \
        }                                                                                             \
        for (int r = 0; r < NR; r++)                                                                  \
            for (int t = 0; t < NT; t++) out[(int64_t) (t0 + t) * stride + r0 + r] = T256_CAT(hsum, SUFFIX)(acc[r][t]); \
    } while (0)

#define Q4_START(x) T256_CAT(q4_bias, SUFFIX)(x)
#define Q4_LOAD(blk)                                                                                  \
    const __m128i raw_ = _mm_loadu_si128((const __m128i *) ((blk) + 2));                              \
    const __m256i wq_ = _mm256_and_si256(_mm256_set_m128i(_mm_srli_epi16(raw_, 4), raw_), _mm256_set1_epi8(0x0F))
#define Q4_PAIR(bias, x) DOTU(bias, wq_, x)

#define Q8_START(x) Q8_BIAS(x)
#define Q8_LOAD(blk)                                                                                  \
    const __m256i wraw_ = _mm256_loadu_si256((const __m256i *) ((blk) + 2));                          \
    const __m256i wp_ = Q8_WPREP(wraw_)
#define Q8_PAIR(bias, x) Q8_DOT(bias, wp_, wraw_, x)

/* One function per (rows, tokens) shape, so the tile loops fully unroll into registers. */
#define T256_SHAPES(kind, block_bytes, fname)                                                         \
    static void fname(const uint8_t *w, int64_t row_bytes, const acts *a, int r0, int nr, int t0, int nt, \
                      float *out, int stride) {                                                       \
        switch (nr * 8 + nt) {                                                                        \
            case 8 + 1: T256_BODY(kind, block_bytes, 1, 1); break;                                    \
            case 8 + 2: T256_BODY(kind, block_bytes, 1, 2); break;                                    \
            case 8 + 3: T256_BODY(kind, block_bytes, 1, 3); break;                                    \
            case 8 + 4: T256_BODY(kind, block_bytes, 1, 4); break;                                    \
            case 16 + 1: T256_BODY(kind, block_bytes, 2, 1); break;                                   \
            case 16 + 2: T256_BODY(kind, block_bytes, 2, 2); break;                                   \
            case 16 + 3: T256_BODY(kind, block_bytes, 2, 3); break;                                   \
            case 16 + 4: T256_BODY(kind, block_bytes, 2, 4); break;                                   \
            case 24 + 1: T256_BODY(kind, block_bytes, 3, 1); break;                                   \
            case 24 + 2: T256_BODY(kind, block_bytes, 3, 2); break;                                   \
            case 24 + 3: T256_BODY(kind, block_bytes, 3, 3); break;                                   \
            default: T256_BODY(kind, block_bytes, 3, 4); break;                                       \
        }                                                                                             \
    }

T256_SHAPES(Q4, 18, T256_CAT(tile_q4_0, SUFFIX))
T256_SHAPES(Q8, 34, T256_CAT(tile_q8_0, SUFFIX))
#define T256_MAX_ROWS 3
#define T256_MAX_TOKENS 4
