#ifndef REPRISE_KERNELS_H
#define REPRISE_KERNELS_H

#include <stdbool.h>
#include <stddef.h>

/// Whether this CPU runs reprise_dense_avx2: an x86-64 with AVX2 and FMA (Haswell, Zen and later).
bool reprise_dense_avx2_available(void);

/// y = x · Wᵀ + b for `rows` rows, with W packed as DenseLayer packs it: `outputs / 8` panels, each `inputs × 8`
/// floats, input-major. `outputs` must be a multiple of 16. Only call it when reprise_dense_avx2_available().
void reprise_dense_avx2(const float *x, size_t rows, size_t inputs, size_t outputs, const float *panels,
                        const float *bias, float *y);

#endif
