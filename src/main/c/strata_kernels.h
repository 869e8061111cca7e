/* Public entry points of libstrata (see NativeLibrary.java for the Java side of the contract). */
#ifndef STRATA_KERNELS_H
#define STRATA_KERNELS_H
#include <stdint.h>

/* Bumped whenever a signature below changes; the Java loader refuses a mismatching library. */
#define STRATA_ABI_VERSION 1

int strata_abi_version(void);
/* 1 when the AVX2+FMA+F16C path can run on this CPU. */
int strata_cpu_has_avx2(void);
/* 1 when weights of this ggml type id are covered. */
int strata_supports(int type);
/*
 * out[t*out_stride + r] = dot(row r of w, token t) for r in [row_start, row_end), t < n_tokens.
 * w rows are row_bytes apart; activations are n_tokens rows of cols int8 quants with one scale
 * per block (Q8_0: 32, Q8_K: 256 values) and, for Q8_K, 16 bsums per block. simd=0 forces the
 * scalar path. Returns 0, or -1 for an unsupported type.
 */
int strata_matmul(int type, int simd, const uint8_t *w, int64_t row_bytes, int cols,
                  const int8_t *xq, const float *xd, const int16_t *xbsums, int n_tokens,
                  float *out, int out_stride, int row_start, int row_end);
#endif
