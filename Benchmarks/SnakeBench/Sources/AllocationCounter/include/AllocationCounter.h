#ifndef ALLOCATION_COUNTER_H
#define ALLOCATION_COUNTER_H

/// How many heap allocations (malloc, calloc, realloc, memalign family) the process
/// has made so far. Counting works on glibc only; elsewhere it stays 0.
unsigned long allocation_count(void);

#endif
