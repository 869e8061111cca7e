package dev.strata.runtime;

/** Rounding through IEEE half precision, as llama.cpp's F16 KV cache and F16 matmul operands do. */
final class F16 {
    private F16() {}

    static float round(float x) {
        return Float.float16ToFloat(Float.floatToFloat16(x));
    }
}
