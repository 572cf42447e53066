// The dense layer's multiply with AVX2 and fused multiply-add, chosen at run time: the rest of the binary keeps
// the baseline x86-64 target, so it runs on any x86-64 CPU, and this function only where the CPU has both.
#include "RepriseKernels.h"

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#include <immintrin.h>

bool reprise_dense_avx2_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

// Four rows of x times two 8-float panels: eight accumulators, enough to hide the latency of the FMAs.
__attribute__((target("avx2,fma")))
static inline void four_rows(const float *x, size_t inputs, size_t outputs, const float *w0, const float *w1,
                             __m256 b0, __m256 b1, float *y) {
    __m256 s00 = b0, s01 = b1, s10 = b0, s11 = b1, s20 = b0, s21 = b1, s30 = b0, s31 = b1;
    const float *x0 = x, *x1 = x + inputs, *x2 = x + 2 * inputs, *x3 = x + 3 * inputs;
    for (size_t i = 0; i < inputs; i++) {
        __m256 p0 = _mm256_loadu_ps(w0 + 8 * i), p1 = _mm256_loadu_ps(w1 + 8 * i);
        __m256 v0 = _mm256_broadcast_ss(x0 + i), v1 = _mm256_broadcast_ss(x1 + i);
        __m256 v2 = _mm256_broadcast_ss(x2 + i), v3 = _mm256_broadcast_ss(x3 + i);
        s00 = _mm256_fmadd_ps(v0, p0, s00); s01 = _mm256_fmadd_ps(v0, p1, s01);
        s10 = _mm256_fmadd_ps(v1, p0, s10); s11 = _mm256_fmadd_ps(v1, p1, s11);
        s20 = _mm256_fmadd_ps(v2, p0, s20); s21 = _mm256_fmadd_ps(v2, p1, s21);
        s30 = _mm256_fmadd_ps(v3, p0, s30); s31 = _mm256_fmadd_ps(v3, p1, s31);
    }
    _mm256_storeu_ps(y, s00); _mm256_storeu_ps(y + 8, s01);
    _mm256_storeu_ps(y + outputs, s10); _mm256_storeu_ps(y + outputs + 8, s11);
    _mm256_storeu_ps(y + 2 * outputs, s20); _mm256_storeu_ps(y + 2 * outputs + 8, s21);
    _mm256_storeu_ps(y + 3 * outputs, s30); _mm256_storeu_ps(y + 3 * outputs + 8, s31);
}

__attribute__((target("avx2,fma")))
static inline void one_row(const float *x, size_t inputs, const float *w0, const float *w1, __m256 b0, __m256 b1,
                           float *y) {
    __m256 s0 = b0, s1 = b1;
    for (size_t i = 0; i < inputs; i++) {
        __m256 v = _mm256_broadcast_ss(x + i);
        s0 = _mm256_fmadd_ps(v, _mm256_loadu_ps(w0 + 8 * i), s0);
        s1 = _mm256_fmadd_ps(v, _mm256_loadu_ps(w1 + 8 * i), s1);
    }
    _mm256_storeu_ps(y, s0);
    _mm256_storeu_ps(y + 8, s1);
}

__attribute__((target("avx2,fma")))
void reprise_dense_avx2(const float *x, size_t rows, size_t inputs, size_t outputs, const float *panels,
                        const float *bias, float *y) {
    for (size_t panel = 0; panel + 2 <= outputs / 8; panel += 2) {
        const float *w0 = panels + panel * inputs * 8, *w1 = w0 + inputs * 8;
        __m256 b0 = _mm256_loadu_ps(bias + panel * 8), b1 = _mm256_loadu_ps(bias + panel * 8 + 8);
        size_t row = 0;
        for (; row + 4 <= rows; row += 4) {
            four_rows(x + row * inputs, inputs, outputs, w0, w1, b0, b1, y + row * outputs + panel * 8);
        }
        for (; row < rows; row++) {
            one_row(x + row * inputs, inputs, w0, w1, b0, b1, y + row * outputs + panel * 8);
        }
    }
}

#else

bool reprise_dense_avx2_available(void) { return false; }

void reprise_dense_avx2(const float *x, size_t rows, size_t inputs, size_t outputs, const float *panels,
                        const float *bias, float *y) {
    (void)x; (void)rows; (void)inputs; (void)outputs; (void)panels; (void)bias; (void)y;
}

#endif
