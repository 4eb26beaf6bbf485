// The vector decoder of XOR chunks (see CXORDecode.h, XORChunk.swift and
// docs/timeseries.md). Decoding a chunk is a chain of dependent steps: where a sample ends
// is known only once it is decoded. One chunk at a time, a core waits on that chain; here
// sixteen chunks advance together, one sample code (up to three unchanged samples and a
// changed one, or a run of unchanged ones) per lane per step, in two vectors of eight lanes
// so that one vector's steps overlap the other's. The chain a step waits on is kept short:
// each lane holds the three words it reads from in registers and loads the next one a step
// before it needs it, and the position moves on whether or not the code was one of the
// common ones (a failed lane's results are dropped). Each step records, per lane, the index
// and value of the changed sample; a second pass expands those events into samples. Lanes
// whose stream leaves the common codes stop and are reported to the caller.

#include "CXORDecode.h"

#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define KHM_XOR_VECTOR 1
#include <immintrin.h>
#endif

int khm_xor_available(void) {
#ifdef KHM_XOR_VECTOR
    // Computed once; racing first calls compute the same answer (relaxed atomics keep the
    // race defined).
    static int cached = -1;
    int known = __atomic_load_n(&cached, __ATOMIC_RELAXED);
    if (known < 0) {
        __builtin_cpu_init();
        const char *off = getenv("KHM_XOR_DISABLE_VECTOR");
        known = (off == NULL || off[0] == 0 || off[0] == '0') && __builtin_cpu_supports("avx512f")
            && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq");
        __atomic_store_n(&cached, known, __ATOMIC_RELAXED);
    }
    return known;
#else
    return 0;
#endif
}

#ifdef KHM_XOR_VECTOR

/// A scalar reader over padded words, for the first two samples of a chunk: indexes are
/// clamped to the last word, a zero one.
typedef struct {
    const uint64_t *words;
    int64_t position;
    int64_t last;
} reader;

static inline uint64_t peek(const reader *r) {
    int64_t index = r->position >> 6;
    unsigned offset = (unsigned)(r->position & 63);
    int64_t first = index < r->last ? index : r->last, second = index + 1 < r->last ? index + 1 : r->last;
    // `second >> (64 - offset)`, written so that offset 0 shifts in nothing.
    return (r->words[first] << offset) | ((r->words[second] >> 1) >> (63 - offset));
}

static inline uint64_t read_bits(reader *r, int count) {
    uint64_t value = peek(r) >> (64 - count);
    r->position += count;
    return value;
}

/// The running state of one chunk's decoder.
typedef struct {
    int64_t timestamp, delta;
    uint64_t value;
    int64_t leading, trailing;
} state;

/// Decodes the sample whose code starts at the reader (not the first): the general
/// decoder, as XORIterator.readChangedSample.
static void read_sample(reader *r, state *s) {
    if (read_bits(r, 1) == 0) {
        s->timestamp += s->delta;
        return;
    }
    if (read_bits(r, 1) == 0) {
        s->timestamp += s->delta;
    } else {
        int bits = 64;
        if (read_bits(r, 1) == 0) bits = 14;
        else if (read_bits(r, 1) == 0) bits = 17;
        else if (read_bits(r, 1) == 0) bits = 20;
        uint64_t raw = read_bits(r, bits);
        int shift = 64 - bits;
        s->delta += (int64_t)(raw << shift) >> shift;
        s->timestamp += s->delta;
        if (read_bits(r, 1) == 0) return;
    }
    if (read_bits(r, 1) == 1) {
        s->leading = (int64_t)read_bits(r, 6);
        int64_t length = (int64_t)read_bits(r, 6);
        if (length == 0) length = 64;
        s->trailing = 64 - s->leading - length;
        if (s->trailing < 0) s->trailing = 0;
    }
    int64_t length = 64 - s->leading - s->trailing;
    if (length > 0) s->value ^= read_bits(r, (int)length) << s->trailing;
}

/// Eight lanes' decoders: the XOR window is kept as its width and trailing zeros.
typedef struct {
    /// The bit to decode next, counted from the start of `cur` (0...127), and the index of
    /// `cur` in the arena; the three words from it, and the last word a lane may read.
    __m512i position, word, cur, nxt, nxt2, limit;
    __m512i remaining, width, trailing, index, value;
    __mmask8 failed;
} lanes;

#define TARGET __attribute__((target("avx512f,avx512cd,avx512dq")))

/// One step of eight lanes: each active lane decodes a run of unchanged samples, or up to
/// three unchanged samples and a changed one, and records in `ends` the number of samples
/// decoded so far and in `values` the value of the last one. A lane whose next code is not
/// one of these stops, marked failed.
TARGET static inline __attribute__((always_inline)) __mmask8 step(const uint64_t *arena, lanes *l, int64_t *ends,
                                                                  uint64_t *values) {
    const __m512i one = _mm512_set1_epi64(1), three = _mm512_set1_epi64(3), four = _mm512_set1_epi64(4),
                  fifteen = _mm512_set1_epi64(15), sixtyThree = _mm512_set1_epi64(63),
                  sixtyFour = _mm512_set1_epi64(64), zero = _mm512_setzero_si512();
    __m512i position = l->position, remaining = l->remaining, width = l->width, trailing = l->trailing,
            index = l->index, value = l->value;
    __mmask8 active = _mm512_cmpgt_epi64_mask(remaining, zero);
    // The next 64 bits, from the lane's three words in registers: `position` (0...127)
    // counts from the first. Variable shifts by 64 or more give zero.
    __m512i bits = _mm512_or_si512(
        _mm512_or_si512(_mm512_sllv_epi64(l->cur, position), _mm512_srlv_epi64(l->nxt, _mm512_sub_epi64(sixtyFour, position))),
        _mm512_or_si512(_mm512_sllv_epi64(l->nxt, _mm512_sub_epi64(position, sixtyFour)),
                        _mm512_srlv_epi64(l->nxt2, _mm512_sub_epi64(_mm512_set1_epi64(128), position))));
    // Past the first word: the window moves on a word for the next step, which loads the
    // word after the three now, off the decoding's critical path.
    __mmask8 cross = _mm512_cmpge_epi64_mask(position, sixtyFour);
    __m512i word = _mm512_mask_add_epi64(l->word, cross, l->word, one);
    l->cur = _mm512_mask_mov_epi64(l->cur, cross, l->nxt);
    l->nxt = _mm512_mask_mov_epi64(l->nxt, cross, l->nxt2);
    l->nxt2 = _mm512_mask_i64gather_epi64(l->nxt2, cross, _mm512_min_epi64(_mm512_add_epi64(word, _mm512_set1_epi64(2)), l->limit),
                                          (const void *)arena, 8);
    l->word = word;
    position = _mm512_mask_sub_epi64(position, cross, position, sixtyFour);
    // Leading zero bits: unchanged samples.
    __m512i zeros = _mm512_lzcnt_epi64(bits);
    __mmask8 run = _kor_mask8(_mm512_cmpge_epi64_mask(zeros, four), _mm512_cmpge_epi64_mask(zeros, remaining));
    __m512i runLength = _mm512_min_epi64(zeros, remaining);
    // The changed sample after them: `1 0` then `0` + the bits in the window, or `1` + 6 bits
    // of leading zeros + 6 bits of length + the bits.
    __m512i code = _mm512_sllv_epi64(bits, zeros);
    __mmask8 fresh = _mm512_test_epi64_mask(code, _mm512_set1_epi64(1LL << 61));
    __m512i freshLength = _mm512_and_si512(_mm512_srli_epi64(code, 49), sixtyThree);
    __m512i length = _mm512_mask_mov_epi64(width, fresh, freshLength);
    __m512i freshLeading = _mm512_and_si512(_mm512_srli_epi64(code, 55), sixtyThree);
    __m512i freshTrailing = _mm512_sub_epi64(_mm512_sub_epi64(sixtyFour, freshLeading), freshLength);
    __m512i newTrailing = _mm512_mask_mov_epi64(trailing, fresh, freshTrailing);
    __m512i header = _mm512_mask_blend_epi64(fresh, three, fifteen);
    __m512i used = _mm512_add_epi64(_mm512_add_epi64(zeros, header), length);
    // Anything else: a changed interval (`1 1`), a 64-bit (or empty) window, or a code that
    // does not fit in the 64 bits read.
    __mmask8 general = _kor_mask8(_kor_mask8(_mm512_test_epi64_mask(code, _mm512_set1_epi64(1LL << 62)),
                                             _mm512_cmpeq_epi64_mask(length, zero)),
                                  _kor_mask8(_mm512_cmpgt_epi64_mask(used, sixtyFour), _mm512_cmplt_epi64_mask(newTrailing, zero)));
    __mmask8 decodes = _kandn_mask8(run, active);
    __mmask8 changed = _kandn_mask8(general, decodes), runs = _kand_mask8(active, run), failed = _kand_mask8(decodes, general);
    __m512i xor = _mm512_sllv_epi64(_mm512_srlv_epi64(_mm512_sllv_epi64(code, header), _mm512_sub_epi64(sixtyFour, length)),
                                    newTrailing);
    value = _mm512_mask_xor_epi64(value, changed, value, xor);
    __m512i samples = _mm512_mask_blend_epi64(runs, _mm512_add_epi64(zeros, one), runLength);
    __m512i advance = _mm512_mask_blend_epi64(runs, used, runLength);
    __mmask8 moved = _kor_mask8(changed, runs);
    index = _mm512_mask_add_epi64(index, moved, index, samples);
    _mm512_storeu_si512(ends, index);
    _mm512_storeu_si512(values, value);
    l->width = _mm512_mask_mov_epi64(width, _knot_mask8(run), length);
    l->trailing = _mm512_mask_mov_epi64(trailing, _knot_mask8(run), newTrailing);
    // Unmasked: a lane with nothing left advances by an empty run, a failed lane's
    // position no longer matters.
    l->position = _mm512_add_epi64(position, advance);
    l->remaining = _mm512_mask_mov_epi64(_mm512_mask_sub_epi64(remaining, moved, remaining, samples), failed, zero);
    l->index = index;
    l->value = value;
    l->failed = _kor_mask8(l->failed, failed);
    return active;
}

/// Per lane, what expanding its events needs.
typedef struct {
    int64_t position[KHM_XOR_MAX_JOBS], remaining[KHM_XOR_MAX_JOBS], leading[KHM_XOR_MAX_JOBS],
        trailing[KHM_XOR_MAX_JOBS], offset[KHM_XOR_MAX_JOBS], limit[KHM_XOR_MAX_JOBS], failed[KHM_XOR_MAX_JOBS];
    uint64_t value[KHM_XOR_MAX_JOBS];
} lane_arrays;

/// Eight lanes' decoders from `a`, from lane `first` on.
TARGET static inline lanes load_lanes(const uint64_t *arena, const lane_arrays *a, int first) {
    const __m512i one = _mm512_set1_epi64(1), sixtyFour = _mm512_set1_epi64(64);
    __m512i position = _mm512_loadu_si512(a->position + first), trailing = _mm512_loadu_si512(a->trailing + first);
    __m512i limit = _mm512_loadu_si512(a->limit + first);
    __m512i word = _mm512_add_epi64(_mm512_loadu_si512(a->offset + first), _mm512_srli_epi64(position, 6));
    lanes l;
    l.position = _mm512_and_si512(position, _mm512_set1_epi64(63));
    l.word = word;
    l.remaining = _mm512_loadu_si512(a->remaining + first);
    l.width = _mm512_sub_epi64(_mm512_sub_epi64(sixtyFour, _mm512_loadu_si512(a->leading + first)), trailing);
    l.trailing = trailing;
    l.index = _mm512_setzero_si512();
    l.value = _mm512_loadu_si512(a->value + first);
    l.limit = limit;
    // Lanes with no job (or none left) read nothing; a finished lane's later loads stay
    // within its own words.
    const __m512i zero = _mm512_setzero_si512();
    __mmask8 active = _mm512_cmpgt_epi64_mask(l.remaining, zero);
    l.cur = _mm512_mask_i64gather_epi64(zero, active, _mm512_min_epi64(word, limit), (const void *)arena, 8);
    l.nxt = _mm512_mask_i64gather_epi64(zero, active, _mm512_min_epi64(_mm512_add_epi64(word, one), limit), (const void *)arena, 8);
    l.nxt2 = _mm512_mask_i64gather_epi64(zero, active, _mm512_min_epi64(_mm512_add_epi64(word, _mm512_set1_epi64(2)), limit),
                                         (const void *)arena, 8);
    l.failed = 0;
    return l;
}

TARGET static void run_lanes(const uint64_t *arena, lane_arrays *a, int64_t *ends, uint64_t *values) {
    lanes low = load_lanes(arena, a, 0), high = load_lanes(arena, a, 8);
    int64_t steps = 0;
    // Each step decodes at least one sample of every active lane.
    while (steps < KHM_XOR_MAX_SAMPLES) {
        __mmask8 active = step(arena, &low, ends + steps * 16, values + steps * 16);
        active |= step(arena, &high, ends + steps * 16 + 8, values + steps * 16 + 8);
        if (!active) break;
        steps++;
    }
    _mm512_storeu_si512(a->value, low.value);
    _mm512_storeu_si512(a->value + 8, high.value);
    for (int j = 0; j < 8; j++) {
        a->failed[j] = low.failed >> j & 1;
        a->failed[j + 8] = high.failed >> j & 1;
    }
}


/// Writes one sample.
static inline void put(khm_xor_sample *out, int64_t timestamp, uint64_t value) {
    out->timestamp = timestamp;
    out->value = value;
}

/// What expanding samples `d` apart needs: four samples' timestamp offsets (timestamps in
/// the even elements, values in the odd ones), and the move of four timestamps by one to
/// four samples. Computed once per interval in a call (one, as a rule).
typedef struct {
    int64_t d;
    __m512i offsets, moves[4];
} interval_table;

TARGET static inline void set_interval(interval_table *table, int64_t d) {
    table->d = d;
    table->offsets = _mm512_set_epi64(0, 3 * d, 0, 2 * d, 0, d, 0, 0);
    for (int k = 0; k < 4; k++) table->moves[k] = _mm512_set1_epi64((k + 1) * d);
}

/// Writes a lane's `n` samples to `o`: sample i has timestamp `t0 + i * d` (`table` is for
/// `d`) and value `fix ^` the value recorded by the step that decoded it, or by the step
/// before unless i is the step's last sample (`ends`/`values`, one entry per step every 16,
/// from `run_lanes`; `previous` is the value before the first step). A step of one to four
/// samples goes out as one vector store of four: the kept value up to its last sample, the
/// changed one from there (the slot has room past `n`; the next step overwrites the extra
/// ones). The timestamps move on by a vector add from the table, the values take the
/// changed one by a mask from another: no multiplication, no branch on the number of
/// samples. Longer steps (runs) first write their kept samples four at a time. Samples
/// before `skip` may be left unwritten.
TARGET static void expand(khm_xor_sample *o, const int64_t *ends, const uint64_t *values, int64_t n, int64_t t0,
                          const interval_table *table, uint64_t previous, uint64_t fix, int64_t skip) {
    const __mmask8 valueElements = 0xaa;
    // By the step's last sample's place among the four (0...3), the values that take the
    // changed value.
    static const __mmask8 fromLast[4] = {0xaa, 0xa8, 0xa0, 0x80};
    int64_t from = 0;
    // Steps that end before sample `skip` are not written, only their value kept; unless
    // they are few (a range resumed at a checkpoint skips up to seven samples): writing a
    // few samples costs less than the loop's mispredicted exit.
    if (skip > 4) for (; from < n && *ends <= skip; ends += 16, values += 16) {
        previous = *values;
        from = *ends;
    }
    const __m512i fixes = _mm512_set1_epi64((int64_t)fix);
    __m512i kept = _mm512_set1_epi64((int64_t)(previous ^ fix));
    __m512i times = _mm512_add_epi64(_mm512_set1_epi64(t0 + from * table->d), table->offsets);
    for (; from < n; ends += 16, values += 16) {
        int64_t last = *ends - 1, k = last - from;
        __m512i changed = _mm512_xor_si512(_mm512_set1_epi64(*(const int64_t *)values), fixes);
        if (__builtin_expect(k >= 4, 0)) {
            // A long run: the kept value, four samples at a time.
            do {
                _mm512_storeu_si512(o + from, _mm512_mask_blend_epi64(valueElements, times, kept));
                times = _mm512_add_epi64(times, table->moves[3]);
                from += 4;
            } while (last - from >= 4);
            k = last - from;
        }
        // Four samples from `from`: the kept value up to the last, the changed one from it
        // on (those after the last are overwritten by the next step, or lie past the end).
        __m512i out = _mm512_mask_mov_epi64(_mm512_mask_mov_epi64(times, valueElements, kept), fromLast[k], changed);
        _mm512_storeu_si512(o + from, out);
        times = _mm512_add_epi64(times, table->moves[k]);
        kept = changed;
        from = last + 1;
    }
}

/// The samples of `t0 + k * d` (k in 0..<total) in `mint...maxt`: [*first, *first + count).
/// `known` is the first at or after `mint` when the caller knows it (-1 otherwise).
static int64_t in_range(int64_t t0, int64_t d, int64_t total, int64_t mint, int64_t maxt, int64_t known,
                        int64_t *first) {
    int64_t low = 0, high = total, difference, last;
    if (known >= 0) low = known;
    else if (mint > t0) low = __builtin_sub_overflow(mint, t0, &difference) ? total : (difference - 1) / d + 1;
    // Most ranges reach past the last sample: no division then.
    if (!__builtin_mul_overflow(total - 1, d, &last) && !__builtin_add_overflow(last, t0, &last) && last <= maxt) {
        high = total;
    } else if (maxt < t0) {
        high = 0;
    } else if (!__builtin_sub_overflow(maxt, t0, &difference) && difference / d + 1 < total) {
        high = difference / d + 1;
    }
    if (low > total) low = total;
    *first = low;
    return high > low ? high - low : 0;
}

void khm_xor_decode(const uint64_t *arena, const khm_xor_job *jobs, int count, int64_t mint, int64_t maxt,
                    void *samples, int stride, int32_t *firsts, int32_t *counts) {
    khm_xor_sample *out = samples;
    if (count > KHM_XOR_MAX_JOBS) count = KHM_XOR_MAX_JOBS;
    if (!khm_xor_available()) {
        for (int j = 0; j < count; j++) counts[j] = -1;
        return;
    }
    lane_arrays a;
    memset(&a, 0, sizeof a);
    // Per job: where the lane's samples go in the slot, the timestamp of slot sample 0 and
    // the interval, the value before the lane's first sample.
    int64_t offset[KHM_XOR_MAX_JOBS], base[KHM_XOR_MAX_JOBS], delta[KHM_XOR_MAX_JOBS];
    uint64_t before[KHM_XOR_MAX_JOBS];
    // Start loading every job's words at once: the lanes would otherwise wait for each cache
    // line in turn.
    for (int j = 0; j < count; j++) {
        const uint64_t *words = arena + jobs[j].offset;
        for (int32_t w = 0; w < jobs[j].words; w += 8) __builtin_prefetch(words + w);
    }
    for (int j = 0; j < count; j++) {
        const khm_xor_job *job = &jobs[j];
        counts[j] = 0;
        firsts[j] = 0;
        offset[j] = 0;
        // Reads are clamped to the job's last word, a zero one: a damaged stream decodes to
        // garbage but stays in bounds.
        if (job->count > KHM_XOR_MAX_SAMPLES || job->words < 2) counts[j] = -1;
        if (job->count <= 0 || counts[j] < 0) continue;
        a.offset[j] = job->offset;
        // The last word the lane may read: its zero word.
        a.limit[j] = job->offset + job->words - 1;
        if (job->resume) {
            a.position[j] = job->bit;
            a.remaining[j] = job->count;
            a.leading[j] = job->leading;
            a.trailing[j] = job->trailing;
            base[j] = job->timestamp + job->delta;
            delta[j] = job->delta;
            before[j] = 0;
            continue;
        }
        // From the first sample: it and the second (the first interval) are decoded here,
        // to slot samples 0 and 1; the lane's go after them.
        khm_xor_sample *slot = out + (int64_t)j * stride;
        reader r = {arena + job->offset, job->bit, job->words - 1};
        state s = {0, 0, 0, 0, 0};
        s.timestamp = (int64_t)read_bits(&r, 64);
        s.value = read_bits(&r, 64);
        put(slot, s.timestamp, s.value);
        base[j] = s.timestamp;
        if (job->count >= 2) {
            read_sample(&r, &s);
            put(slot + 1, s.timestamp, s.value);
        }
        offset[j] = job->count >= 2 ? 2 : 1;
        a.position[j] = r.position;
        a.remaining[j] = job->count - offset[j];
        a.leading[j] = s.leading;
        a.trailing[j] = s.trailing;
        a.value[j] = s.value;
        delta[j] = s.delta;
        before[j] = s.value;
    }
    int64_t remaining[KHM_XOR_MAX_JOBS];
    memcpy(remaining, a.remaining, sizeof remaining);
    int64_t ends[KHM_XOR_MAX_SAMPLES * 16];
    uint64_t values[KHM_XOR_MAX_SAMPLES * 16];
    run_lanes(arena, &a, ends, values);
    // A wide read lays its chunks out in the order it decodes them: start loading what
    // follows this call's words, most likely the next call's, while this one expands.
    int64_t low = INT64_MAX, high = 0;
    for (int j = 0; j < count; j++) {
        if (jobs[j].offset < low) low = jobs[j].offset;
        if (jobs[j].offset + jobs[j].words > high) high = jobs[j].offset + jobs[j].words;
    }
    for (int64_t w = high; w < high + (high - low) && low < high; w += 8) __builtin_prefetch(arena + w);
    interval_table table;
    table.d = 0;
    for (int j = 0; j < count; j++) {
        if (counts[j] < 0 || jobs[j].count <= 0) continue;
        int64_t n = remaining[j], d = delta[j];
        // The lanes stop at a changed interval, so slot sample k has timestamp base + k * d.
        if (a.failed[j] || (n > 0 && d <= 0)) {
            counts[j] = -1;
            continue;
        }
        int64_t first = 0, total = offset[j] + n;
        // A chunk of one sample: its own timestamp only.
        int64_t kept = in_range(base[j], total > 1 ? d : 1, total, mint, maxt, jobs[j].resume ? jobs[j].first : -1, &first);
        firsts[j] = (int32_t)first;
        counts[j] = (int32_t)kept;
        if (n > 0 && kept > 0) {
            // From a checkpoint the values came out XOR the value before it; the last one
            // says which.
            uint64_t fix = jobs[j].resume ? a.value[j] ^ jobs[j].last_value : 0;
            khm_xor_sample *o = out + (int64_t)j * stride + offset[j];
            if (d != table.d) set_interval(&table, d);
            expand(o, ends + j, values + j, n, base[j] + offset[j] * d, &table, before[j], fix, first - offset[j]);
        }
    }
}

#else

void khm_xor_decode(const uint64_t *arena, const khm_xor_job *jobs, int count, int64_t mint, int64_t maxt,
                    void *samples, int stride, int32_t *firsts, int32_t *counts) {
    (void)arena, (void)jobs, (void)mint, (void)maxt, (void)samples, (void)stride, (void)firsts;
    for (int j = 0; j < count; j++) counts[j] = -1;
}

#endif
