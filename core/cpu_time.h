/* cpu_time.h - thread CPU time: per worker over the run, and of sampled batches (internal).
 *
 * A batch whose thread spent much of its wall time off the CPU was
 * preempted (or its kernel yields), and the timeline must not draw that
 * time as work. Reading a thread's CPU clock is a system call: ~150 ns on
 * bare metal, 0.7-2 us on the virtual machine of docs/performance.md,
 * against ~16 us of work per batch. So a worker samples batches within a
 * budget: it earns JF_CPU_SAMPLE_SHARE of its batches' wall time and spends
 * two reads' cost on a sampled batch; the trace's overhead for this stays
 * under that share on any machine, and batches on a fast-syscall machine
 * are nearly all sampled. */
#ifndef JF_CPU_TIME_H
#define JF_CPU_TIME_H

#include <stdint.h>
#include <time.h>

#ifndef JF_CPU_SAMPLE_SHARE
#define JF_CPU_SAMPLE_SHARE 0.01 /* of batch wall time spent reading CPU clocks */
#endif

/* CPU time the calling thread has used, in nanoseconds. */
static inline uint64_t jf__thread_cpu_ns(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* What one jf__thread_cpu_ns costs on this machine: the median of a few
 * reads, measured once per process. Thread-safe. */
uint64_t jf__cpu_read_cost_ns(void);

#endif /* JF_CPU_TIME_H */
