/* Public entry points of libstrata (see NativeLibrary.java for the Java side of the contract). */
#ifndef STRATA_KERNELS_H
#define STRATA_KERNELS_H
#include <stdint.h>

/* Bumped whenever a signature below changes; the Java loader refuses a mismatching library. */
#define STRATA_ABI_VERSION 4

/* Instruction-set levels, lowest first. AVX-512 VNNI does not imply AVX-VNNI: see strata_cpu_runs. */
enum { STRATA_PORTABLE = 0, STRATA_AVX2 = 1, STRATA_AVXVNNI = 2, STRATA_AVX512VNNI = 3 };

int strata_abi_version(void);
/* The highest level this CPU runs (the choice at load; Java may force a lower one). */
int strata_cpu_level(void);
/* 1 when this CPU runs the level's instructions. */
int strata_cpu_runs(int level);
/* 1 when this CPU has AVX512-BF16 (vdpbf16ps), used by the avx512vnni level for BF16 weights. */
int strata_cpu_has_bf16(void);
/* 1 when weights of this ggml type id are covered. */
int strata_supports(int type);
/* The kernel that runs for (type, level), e.g. "q4_0 tile 4x4 avx512vnni"; "" when none. */
const char *strata_kernel_name(int type, int level);
/*
 * out[t*out_stride + r] = dot(row r of w, token t) for r in [row_start, row_end), t < n_tokens.
 * w rows are row_bytes apart. Quantized weights: activations are n_tokens rows of cols int8
 * quants (xq) with one scale per block in xd (Q8_0: 32, Q8_K: 256 values) and, for Q8_K, 16
 * bsums per block. F16/BF16 weights: xd holds n_tokens*cols floats (already rounded to the
 * weight type), xq and xbsums are unused. Returns 0, -1 for an unsupported type, -2 for a
 * level this CPU cannot run.
 */
int strata_matmul(int type, int level, const uint8_t *w, int64_t row_bytes, int cols,
                  const int8_t *xq, const float *xd, const int16_t *xbsums, int n_tokens,
                  float *out, int out_stride, int row_start, int row_end);
/* Repacking (strata_repack.c): bytes of the interleaved copy of rows x cols Q4_0/Q8_0 weights, -1 if not packable. */
int64_t strata_packed_bytes(int type, int64_t rows, int cols);
/* Writes the interleaved copy of src (rows of ggml blocks) to dst (strata_packed_bytes long). */
int strata_repack(int type, const uint8_t *src, int64_t rows, int cols, uint8_t *dst);
const char *strata_packed_kernel_name(int type, int level);
int strata_matmul_packed(int type, int level, const uint8_t *w, int64_t row_bytes, int cols,
                         const int8_t *xq, const float *xd, const int16_t *xsums, int n_tokens,
                         float *out, int out_stride, int row_start, int row_end);
/* Attention over the F16 KV cache (strata_attention.c): scores of one query against n keys, and the weighted value sum. */
int strata_attn_scores(int level, const uint8_t *k, int64_t k_off, int64_t stride, int n, const float *q, int q_off, int hd,
                       float scale, float *scores, int s_off);
int strata_attn_values(int level, const uint8_t *v, int64_t v_off, int64_t stride, int n, const float *w, int w_off, int hd,
                       float *out, int o_off);
#endif
