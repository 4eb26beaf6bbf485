#ifndef C_XOR_DECODE_H
#define C_XOR_DECODE_H

#include <stdint.h>

/// A decoded sample, laid out as the TimeSeries module's `Sample`: a timestamp in
/// milliseconds, then the value's bits.
typedef struct {
    int64_t timestamp;
    uint64_t value;
} khm_xor_sample;

/// One chunk to decode, from its first sample or from a checkpoint (see `XORChunk`).
typedef struct {
    /// The index, in the arena, of the word holding the first bit to decode; the stream's
    /// words, its tail word and a zero word follow it.
    int64_t offset;
    /// The first bit to decode inside that word (0...63).
    int32_t bit;
    /// The samples to decode.
    int32_t count;
    /// 1: decoding resumes at a checkpoint, with the fields below; 0: from the first sample.
    int32_t resume;
    /// At a checkpoint: the XOR window in force.
    int32_t leading;
    int32_t trailing;
    /// The words from `offset` on: the stream's words from the one holding `bit`, its tail
    /// word and a zero word.
    int32_t words;
    /// At a checkpoint: the timestamp and interval of the sample before it.
    int64_t timestamp;
    int64_t delta;
    /// At a checkpoint: the chunk's last value, which recovers the values from their XOR
    /// with the value before the checkpoint.
    uint64_t last_value;
    /// At a checkpoint: how many samples from it lie before the range (found by the
    /// caller when it chose the checkpoint, which saves a division per job).
    int32_t first;
    int32_t reserved;
} khm_xor_job;

/// The most jobs one call decodes.
#define KHM_XOR_MAX_JOBS 16
/// The most samples a job may hold.
#define KHM_XOR_MAX_SAMPLES 256

/// Whether `khm_xor_decode` can run here: it needs AVX-512 (F, CD and DQ), checked once at run
/// time. Without it, or with the environment variable `KHM_XOR_DISABLE_VECTOR=1`, the caller
/// decodes with its portable decoder.
int khm_xor_available(void);

/// Decodes up to `KHM_XOR_MAX_JOBS` chunks at once, eight to a vector, two vectors in
/// flight. `samples` holds `khm_xor_sample`s: job `j` decodes into the slot at
/// `samples + j * stride` (`stride` at least the largest job's count plus 4: a few writes
/// land past the last sample), and its samples with `mint <= timestamp <= maxt` are the
/// `counts[j]` from slot index `firsts[j]`. A job whose stream leaves the fast paths (a
/// changed interval after the first two samples, a 64-bit window, more than
/// `KHM_XOR_MAX_SAMPLES` samples) gets `counts[j] = -1`: the caller decodes it with the
/// general decoder. Where `khm_xor_available()` is false every job gets -1.
void khm_xor_decode(const uint64_t *arena, const khm_xor_job *jobs, int count, int64_t mint, int64_t maxt,
                    void *samples, int stride, int32_t *firsts, int32_t *counts);

#endif
