package dev.strata.tensor.quant;

/** Rounding helpers and the scale searches shared by ggml's reference quantizers. */
final class QuantMath {
    private QuantMath() {}

    static final float GROUP_MAX_EPS = 1e-15f;

    /** ggml's nearest_int: round half to even (the 1.5*2^23 trick). */
    /** The element of x[xo, xo+n) with the largest magnitude, sign kept; the first on ties (ggml's scan). */
    static float signedAbsMax(float[] x, int xo, int n) {
        float amax = 0, max = 0;
        for (int j = 0; j < n; j++) {
            float v = x[xo + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        return max;
    }

    static float min(float[] x, int xo, int n) {
        float min = Float.MAX_VALUE;
        for (int j = 0; j < n; j++) if (x[xo + j] < min) min = x[xo + j]; // not Math.min: ggml keeps the first of 0 and -0
        return min;
    }

    static float max(float[] x, int xo, int n) {
        float max = -Float.MAX_VALUE;
        for (int j = 0; j < n; j++) if (x[xo + j] > max) max = x[xo + j];
        return max;
    }

    static int nearestInt(float f) {
        return (int) Math.rint(f);
    }

    /** C roundf: round half away from zero. */
    static int roundAway(float f) {
        int r = (int) Math.floor(Math.abs((double) f) + 0.5);
        return f < 0 ? -r : r;
    }

    /**
     * make_qx_quants with rmse_type 1 and no importance weights (w = x^2): symmetric quants L in
     * [0, 2*nmax) for x[xo..xo+n), written to l[lo..]; returns the scale.
     */
    static float makeQxQuants(int n, int nmax, float[] x, int xo, byte[] l, int lo) {
        float max = 0, amax = 0;
        for (int i = 0; i < n; i++) {
            float ax = Math.abs(x[xo + i]);
            if (ax > amax) {
                amax = ax;
                max = x[xo + i];
            }
        }
        if (amax < GROUP_MAX_EPS) {
            for (int i = 0; i < n; i++) l[lo + i] = 0;
            return 0f;
        }
        float iscale = -nmax / max;
        float sumlx = 0, suml2 = 0;
        for (int i = 0; i < n; i++) {
            float xi = x[xo + i];
            int q = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
            l[lo + i] = (byte) (q + nmax);
            float w = xi * xi;
            sumlx += w * xi * q;
            suml2 += w * q * q;
        }
        float scale = suml2 != 0 ? sumlx / suml2 : 0.0f;
        float best = scale * sumlx;
        for (int is = -9; is <= 9; is++) {
            if (is == 0) continue;
            iscale = -(nmax + 0.1f * is) / max;
            sumlx = 0;
            suml2 = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int q = Math.max(-nmax, Math.min(nmax - 1, nearestInt(iscale * xi)));
                float w = xi * xi;
                sumlx += w * xi * q;
                suml2 += w * q * q;
            }
            if (suml2 > 0 && sumlx * sumlx > best * suml2) {
                for (int i = 0; i < n; i++) {
                    int q = nearestInt(iscale * x[xo + i]);
                    l[lo + i] = (byte) (nmax + Math.max(-nmax, Math.min(nmax - 1, q)));
                }
                scale = sumlx / suml2;
                best = scale * sumlx;
            }
        }
        return scale;
    }

    /**
     * make_qkx2_quants (use_mad = false): asymmetric quants L in [0, nmax] with scale and min
     * fitted by weighted least squares over nstep+1 candidate scales. Returns the scale and
     * stores -min into theMin[minIdx].
     */
    static float makeQkx2Quants(int n, int nmax, float[] x, int xo, float[] weights, byte[] l, int lo,
                                float[] theMin, int minIdx, byte[] laux, float rmin, float rdelta, int nstep) {
        float min = x[xo], max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; i++) {
            float xi = x[xo + i];
            if (xi < min) min = xi;
            if (xi > max) max = xi;
            float w = weights[i];
            sumW += w;
            sumX += w * xi;
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) l[lo + i] = 0;
            theMin[minIdx] = -min;
            return 0f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestError = 0;
        for (int i = 0; i < n; i++) {
            int q = Math.max(0, Math.min(nmax, nearestInt(iscale * (x[xo + i] - min))));
            l[lo + i] = (byte) q;
            float diff = scale * q + min - x[xo + i];
            bestError += weights[i] * (diff * diff);
        }
        if (nstep < 1) {
            theMin[minIdx] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                float xi = x[xo + i];
                int q = Math.max(0, Math.min(nmax, nearestInt(iscale * (xi - min))));
                laux[i] = (byte) q;
                float w = weights[i];
                sumL += w * q;
                sumL2 += w * q * q;
                sumXL += w * q * xi;
            }
            float det = sumW * sumL2 - sumL * sumL;
            if (det > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / det;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / det;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float curError = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * laux[i] + thisMin - x[xo + i];
                    curError += weights[i] * (diff * diff);
                }
                if (curError < bestError) {
                    System.arraycopy(laux, 0, l, lo, n);
                    bestError = curError;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin[minIdx] = -min;
        return scale;
    }
}
