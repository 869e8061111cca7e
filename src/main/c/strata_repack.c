/*
 * Interleaved copies of Q4_0 and Q8_0 weights, made once at load, so a matvec reads one
 * sequential stream per 16 rows and scales 16 rows' integer dot products with one vector multiply.
 *
 * Rows go in groups of PACK_ROWS = 16 (the last group padded with zero rows). A group occupies
 * 16 x row_bytes, block b of it at offset b * 16 * block_bytes:
 *   32 bytes   the 16 rows' f16 scales, row order;
 *   Q4_0: 4 chunks of 64 bytes: chunk c holds, for row r at bytes 4r..4r+3, the row's quant bytes
 *         4c..4c+3. Their low nibbles are the values 4c..4c+3, the high nibbles 16+4c..16+4c+3, so
 *         one and/shift gives a vector of 16 rows x 4 values that meets one broadcast 4-byte
 *         group of activations in vpdpbusd;
 *   Q8_0: 8 chunks of 64 bytes, chunk g holding each row's quants 4g..4g+3, stored as w ^ 0x80
 *         (w + 128, unsigned for vpdpbusd; the kernels subtract 128 * sum(x) per block).
 * The bytes are as many as the original's: the copy only reorders them.
 */
#include "strata_kernels.h"
#include "strata_internal.h"

static int block_bytes(int type) {
    return type == TYPE_Q4_0 ? 18 : type == TYPE_Q8_0 ? 34 : 0;
}

EXPORT int64_t strata_packed_bytes(int type, int64_t rows, int cols) {
    int bb = block_bytes(type);
    if (!bb || cols <= 0 || cols % 32 || rows <= 0) return -1;
    return (rows + PACK_ROWS - 1) / PACK_ROWS * PACK_ROWS * (int64_t) (cols / 32) * bb;
}

EXPORT int strata_repack(int type, const uint8_t *src, int64_t rows, int cols, uint8_t *dst) {
    const int bb = block_bytes(type);
    if (strata_packed_bytes(type, rows, cols) < 0) return -1;
    const int nb = cols / 32, chunks = type == TYPE_Q4_0 ? 4 : 8;
    const uint8_t flip = type == TYPE_Q8_0 ? 0x80 : 0;
    const int64_t row_bytes = (int64_t) nb * bb, groups = (rows + PACK_ROWS - 1) / PACK_ROWS;
    for (int64_t g = 0; g < groups; g++) {
        uint8_t *out = dst + g * PACK_ROWS * row_bytes;
        for (int b = 0; b < nb; b++, out += PACK_ROWS * bb) {
            memset(out, 0, (size_t) PACK_ROWS * bb);
            for (int r = 0; r < PACK_ROWS; r++) {
                const int64_t row = g * PACK_ROWS + r;
                if (row >= rows) break;
                const uint8_t *blk = src + row * row_bytes + (int64_t) b * bb;
                memcpy(out + 2 * r, blk, 2);
                for (int c = 0; c < chunks; c++)
                    for (int k = 0; k < 4; k++) out[32 + 64 * c + 4 * r + k] = blk[2 + 4 * c + k] ^ flip;
            }
        }
    }
    return 0;
}
