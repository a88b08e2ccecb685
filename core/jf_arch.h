/* jf_arch.h - cache-line size and the CPU's spin-wait hint. */
#ifndef JF_ARCH_H
#define JF_ARCH_H

/* 64 bytes on x86-64 and most arm64 parts; hot fields written by different
 * threads are kept this far apart so they never share a line. */
#define JF_CACHE_LINE 64

/* Tells the CPU we are spinning (frees the pipeline for the sibling
 * hyperthread and saves power); a no-op where there is no such hint. */
static inline void jf_cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif /* JF_ARCH_H */
