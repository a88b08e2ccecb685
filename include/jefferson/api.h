/* jefferson/api.h - how the library marks the functions it exports. */
#ifndef JF_API_H
#define JF_API_H

/* Every public function is declared JF_API. The shared library is built
 * with -fvisibility=hidden, so these are its only exported symbols; the
 * engine's internal functions stay private to it. */
#if defined(__GNUC__) || defined(__clang__)
#define JF_API __attribute__((visibility("default")))
#else
#define JF_API
#endif

#endif /* JF_API_H */
