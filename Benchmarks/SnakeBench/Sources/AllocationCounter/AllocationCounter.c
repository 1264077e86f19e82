// Counts heap allocations by defining the allocator entry points in the executable,
// which takes precedence over libc's, and forwarding to glibc's internal versions.
// Used only by this benchmark, to check that a game step allocates nothing.
#include "AllocationCounter.h"
#include <stddef.h>
#include <errno.h>

static unsigned long counter;

unsigned long allocation_count(void) { return __atomic_load_n(&counter, __ATOMIC_RELAXED); }

#if defined(__GLIBC__) || defined(__linux__)
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t count, size_t size);
extern void *__libc_realloc(void *pointer, size_t size);
extern void *__libc_memalign(size_t alignment, size_t size);

static void count_one(void) { __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED); }

void *malloc(size_t size) { count_one(); return __libc_malloc(size); }
void *calloc(size_t count, size_t size) { count_one(); return __libc_calloc(count, size); }
void *realloc(void *pointer, size_t size) { count_one(); return __libc_realloc(pointer, size); }
void *memalign(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
void *aligned_alloc(size_t alignment, size_t size) { count_one(); return __libc_memalign(alignment, size); }
int posix_memalign(void **result, size_t alignment, size_t size) {
    count_one();
    void *pointer = __libc_memalign(alignment, size);
    if (pointer == NULL) return ENOMEM;
    *result = pointer;
    return 0;
}
#endif
