/*
 * AVX-VNNI (VEX-encoded vpdpbusd on ymm, Alder Lake and later): the 256-bit Q4_0/Q8_0 tiles, and
 * the kernels over the repacked copy, with the dot product in one instruction. Other types fall back to the avx2 kernels.
 */
#if defined(__x86_64__)
#pragma GCC target("avx2,fma,f16c,avxvnni")
#include <immintrin.h>
#include "strata_internal.h"

#define SUFFIX avxvnni
#define DOTU(acc, u, s) _mm256_dpbusd_avx_epi32((acc), (u), (s))
/* signed w enters vpdpbusd as w + 128 (w ^ 0x80); the start value -128 * sum(x) removes the offset */
#define Q8_WPREP(w) _mm256_xor_si256((w), _mm256_set1_epi8((char) 0x80))
#define Q8_BIAS(x) _mm256_sub_epi32(_mm256_setzero_si256(), DOTU(_mm256_setzero_si256(), _mm256_set1_epi8((char) 0x80), (x)))
#define Q8_DOT(bias, wp, w, x) DOTU(bias, wp, x)
#include "strata_tile256.h"

#define P8_DOT(start, w, x)                                                                          \
    DOTU(DOTU(DOTU(DOTU(DOTU(DOTU(DOTU(DOTU((start), w[0], x[0]), w[1], x[1]), w[2], x[2]), w[3], x[3]), \
        w[4], x[4]), w[5], x[5]), w[6], x[6]), w[7], x[7])
#include "strata_packed256.h"
P8_SHAPES(packed_q4_0_avxvnni, 18, 8, P8_LOAD_Q4, P8_DOT)
P8_SHAPES(packed_q8_0_avxvnni, 34, 128, P8_LOAD_Q8, P8_DOT)

void strata_fill_packed_avxvnni(kernel *table) {
    table[TYPE_Q4_0] = (kernel) {packed_q4_0_avxvnni, 8, P8_MAX_TOKENS, "q4_0 repacked 8x4 avxvnni"};
    table[TYPE_Q8_0] = (kernel) {packed_q8_0_avxvnni, 8, P8_MAX_TOKENS, "q8_0 repacked 8x4 avxvnni"};
}

void strata_fill_avxvnni(kernel *table) {
    table[TYPE_Q4_0] = (kernel) {tile_q4_0_avxvnni, T256_MAX_ROWS, T256_MAX_TOKENS, "q4_0 tile 3x4 avxvnni"};
    table[TYPE_Q8_0] = (kernel) {tile_q8_0_avxvnni, T256_MAX_ROWS, T256_MAX_TOKENS, "q8_0 tile 3x4 avxvnni"};
}
#endif
