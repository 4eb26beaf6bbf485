#ifndef C_PREFETCH_H
#define C_PREFETCH_H

/// Asks the CPU to start loading the cache line at `address` for reading, without waiting
/// for it and without faulting (any address is allowed, null included). Wide reads of the
/// store walk 100k series whose data sit in separate heap objects; prefetching a few series
/// ahead overlaps those cache misses instead of taking them one after another. Swift has no
/// portable spelling of this hint.
static inline void khm_prefetch(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 3);
#else
    (void)address;
#endif
}

/// `khm_prefetch` into the second-level cache only: for data needed a while later, so that
/// many such hints in flight do not evict what the first-level cache is working on.
static inline void khm_prefetch_far(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 2);
#else
    (void)address;
#endif
}

#endif
