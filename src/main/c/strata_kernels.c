/*
 * Strata native kernels: weight rows (Q4_0, Q8_0, Q4_K, Q5_K, Q6_K in ggml's block layouts, F16,
 * BF16) dotted with activations already prepared by dev.strata.tensor.quant.ActivationQuantizer
 * (Q8_0 blocks for Q4_0/Q8_0, Q8_K blocks for the K-quants, rounded floats for F16/BF16). Called
 * from Java through FFM downcalls.
 *
 * Four instruction-set levels, each in its own file compiled for its target: portable C,
 * AVX2+FMA, AVX-VNNI and AVX-512 VNNI. The CPU's highest level is found once, at the first call;
 * the library itself is built for baseline x86-64 and loads on any CPU. A level lacking a type
 * uses the next lower level's kernel for it.
 */
#include "strata_kernels.h"
#include "strata_internal.h"
#include <stdlib.h>

#define LEVELS 4

/* Bytes of weight rows kept hot in L2 while every token group streams past them. */
#define ROW_TILE_BYTES (96 * 1024)

static kernel tables[LEVELS][TYPE_SLOTS];
/* Kernels over the repacked layout, filled only for levels this CPU runs; empty where none. */
static kernel packed[LEVELS][TYPE_SLOTS];
static int cpu_level = -1, cpu_bf16;
/* AVX-512 VNNI does not imply AVX-VNNI (Zen 4 has the first only), so each level is checked. */
static int cpu_runs[LEVELS] = {1, 0, 0, 0};

static void detect(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    int avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c");
    int vnni512 = avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")
            && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vnni");
    int avxvnni = avx2 && __builtin_cpu_supports("avxvnni");
    cpu_bf16 = vnni512 && __builtin_cpu_supports("avx512bf16");
    cpu_runs[STRATA_AVX2] = avx2;
    cpu_runs[STRATA_AVXVNNI] = avxvnni;
    cpu_runs[STRATA_AVX512VNNI] = vnni512;
    cpu_level = vnni512 ? STRATA_AVX512VNNI : avxvnni ? STRATA_AVXVNNI : avx2 ? STRATA_AVX2 : STRATA_PORTABLE;
#else
    cpu_level = STRATA_PORTABLE;
#endif
}

/* Each level starts from the one below and overrides the types it implements. */
static void build_tables(void) {
    strata_fill_portable(tables[STRATA_PORTABLE]);
#if defined(__x86_64__)
    memcpy(tables[STRATA_AVX2], tables[STRATA_PORTABLE], sizeof tables[0]);
    strata_fill_avx2(tables[STRATA_AVX2]);
    memcpy(tables[STRATA_AVXVNNI], tables[STRATA_AVX2], sizeof tables[0]);
    strata_fill_avxvnni(tables[STRATA_AVXVNNI]);
    /* AVX-512 CPUs lack AVX-VNNI's VEX encoding until Sapphire Rapids, so avx512vnni builds on avx2 */
    memcpy(tables[STRATA_AVX512VNNI], tables[STRATA_AVX2], sizeof tables[0]);
    strata_fill_avx512vnni(tables[STRATA_AVX512VNNI], cpu_bf16);
    if (cpu_runs[STRATA_AVX2]) strata_fill_packed_avx2(packed[STRATA_AVX2]);
    if (cpu_runs[STRATA_AVXVNNI]) strata_fill_packed_avxvnni(packed[STRATA_AVXVNNI]);
    if (cpu_runs[STRATA_AVX512VNNI]) strata_fill_packed_avx512vnni(packed[STRATA_AVX512VNNI]);
#else
    for (int l = 1; l < LEVELS; l++) memcpy(tables[l], tables[STRATA_PORTABLE], sizeof tables[0]);
#endif
}

__attribute__((constructor)) static void init(void) {
    detect();
    build_tables();
}

static const kernel *find(int type, int level) {
    if (type < 0 || type >= TYPE_SLOTS || level < 0 || level >= LEVELS) return 0;
    const kernel *k = &tables[level][type];
    return k->fn ? k : 0;
}

EXPORT int strata_abi_version(void) {
    return STRATA_ABI_VERSION;
}

EXPORT int strata_cpu_level(void) {
    return cpu_level;
}

EXPORT int strata_cpu_runs(int level) {
    return level >= 0 && level < LEVELS && cpu_runs[level];
}

EXPORT int strata_cpu_has_bf16(void) {
    return cpu_bf16;
}

EXPORT int strata_supports(int type) {
    return find(type, STRATA_PORTABLE) != 0;
}

EXPORT const char *strata_kernel_name(int type, int level) {
    const kernel *k = find(type, level);
    return k ? k->name : "";
}

EXPORT int strata_matmul(int type, int level, const uint8_t *w, int64_t row_bytes, int cols,
                         const int8_t *xq, const float *xd, const int16_t *xbsums, int n_tokens,
                         float *out, int out_stride, int row_start, int row_end) {
    if (!strata_cpu_runs(level)) return -2;
    const kernel *k = find(type, level);
    if (!k) return -1;
    int block = (type == TYPE_Q4_0 || type == TYPE_Q8_0) ? 32 : (type == TYPE_F16 || type == TYPE_BF16) ? 1 : 256;
    acts a = {xq, xd, xbsums, 0, cols, cols / block};
    int tile = row_bytes >= ROW_TILE_BYTES ? k->max_rows : (int) (ROW_TILE_BYTES / row_bytes);
    for (int r0 = row_start; r0 < row_end; r0 += tile) {
        int r1 = row_end - r0 < tile ? row_end : r0 + tile;
        for (int t = 0; t < n_tokens; t += k->max_tokens) {
            int nt = n_tokens - t < k->max_tokens ? n_tokens - t : k->max_tokens;
            for (int r = r0; r < r1; r += k->max_rows) {
                int nr = r1 - r < k->max_rows ? r1 - r : k->max_rows;
                k->fn(w, row_bytes, &a, r, nr, t, nt, out, out_stride);
            }
        }
    }
    return 0;
}

/* The kernel over repacked weights for (type, level), e.g. "q4_0 repacked 16x8 avx512vnni"; "" when none. */
EXPORT const char *strata_packed_kernel_name(int type, int level) {
    if (type < 0 || type >= TYPE_SLOTS || level < 0 || level >= LEVELS || !packed[level][type].fn) return "";
    return packed[level][type].name;
}

/* Sums of the int8 quants of every 32-value block, the offset correction the packed kernels start from. */
static void block_sums(const int8_t *xq, const int16_t *given, int64_t blocks, int32_t *sums) {
    if (given) {
        for (int64_t b = 0; b < blocks; b++) sums[b] = given[b];
        return;
    }
    for (int64_t b = 0; b < blocks; b++) {
        int32_t s = 0;
        for (int i = 0; i < 32; i++) s += xq[32 * b + i];
        sums[b] = s;
    }
}

/*
 * As strata_matmul, over weights repacked by strata_repack (w = the packed copy, row_bytes the
 * original row size): Q4_0/Q8_0 only, activations Q8_0 with, when xsums is not NULL, each block's sum of
 * quants (computed here otherwise: a caller that splits one matmul into many calls passes them). Returns -1 when the level has no packed
 * kernel for the type, -2 for a level this CPU cannot run, -3 when out of memory.
 */
EXPORT int strata_matmul_packed(int type, int level, const uint8_t *w, int64_t row_bytes, int cols,
                                const int8_t *xq, const float *xd, const int16_t *xsums, int n_tokens,
                                float *out, int out_stride, int row_start, int row_end) {
    if (!strata_cpu_runs(level)) return -2;
    if (type < 0 || type >= TYPE_SLOTS || level < 0 || level >= LEVELS || !packed[level][type].fn) return -1;
    const kernel *k = &packed[level][type];
    const int64_t blocks = (int64_t) n_tokens * (cols / 32);
    int32_t stack[1024], *sums = blocks <= 1024 ? stack : malloc((size_t) blocks * sizeof(int32_t));
    if (!sums) return -3;
    block_sums(xq, xsums, blocks, sums);
    acts a = {xq, xd, 0, sums, cols, cols / 32};
    const int gran = k->max_rows;
    int tile = (int) (ROW_TILE_BYTES / row_bytes) / PACK_ROWS * PACK_ROWS;
    if (tile < PACK_ROWS) tile = PACK_ROWS;
    for (int r0 = row_start; r0 < row_end; r0 = (r0 / tile + 1) * tile) {
        int r1 = (r0 / tile + 1) * tile;
        if (r1 > row_end) r1 = row_end;
        for (int t = 0; t < n_tokens; t += k->max_tokens) {
            int nt = n_tokens - t < k->max_tokens ? n_tokens - t : k->max_tokens;
            for (int r = r0; r < r1; r = (r / gran + 1) * gran) {
                int end = (r / gran + 1) * gran;
                k->fn(w, row_bytes, &a, r, (end < r1 ? end : r1) - r, t, nt, out, out_stride);
            }
        }
    }
    if (sums != stack) free(sums);
    return 0;
}
