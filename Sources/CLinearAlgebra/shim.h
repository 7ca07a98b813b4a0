#ifndef FLEXDISPATCH_CLINEARALGEBRA_SHIM_H
#define FLEXDISPATCH_CLINEARALGEBRA_SHIM_H
// The only door from Swift to C numerics: CBLAS and LAPACKE (OpenBLAS), CHOLMOD
// (SuiteSparse) and the allocator's settings for large numeric buffers. Only the
// LinearAlgebra target imports this module.
#include <cblas.h>
#include <lapacke.h>
#include <suitesparse/cholmod.h>

// OpenBLAS thread control (declared here so the shim does not depend on which
// cblas.h the Debian alternatives system selected).
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);

// OpenMP controls (libgomp): Debian's CHOLMOD runs some loops in OpenMP parallel
// regions with a fixed thread count; with one thread requested they are made inactive.
void omp_set_num_threads(int num_threads);
void omp_set_max_active_levels(int max_levels);

// glibc's allocator settings (HeapReuse): large numeric buffers from the heap, kept for reuse.
#if defined(__linux__)
#include <malloc.h>
#endif
#endif
