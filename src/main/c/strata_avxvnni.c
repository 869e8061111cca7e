/*
 * AVX-VNNI (VEX-encoded vpdpbusd on ymm, Alder Lake and later): the 256-bit Q4_0/Q8_0 tiles with
 * the dot product in one instruction. Other types fall back to the avx2 kernels.
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

void strata_fill_avxvnni(kernel *table) {
    table[TYPE_Q4_0] = (kernel) {tile_q4_0_avxvnni, T256_MAX_ROWS, T256_MAX_TOKENS, "q4_0 tile 3x4 avxvnni"};
    table[TYPE_Q8_0] = (kernel) {tile_q8_0_avxvnni, T256_MAX_ROWS, T256_MAX_TOKENS, "q8_0 tile 3x4 avxvnni"};
}
#endif
