/* jefferson/topology.h - what hwloc sees of the machine, and pinning threads to it. */
#ifndef JF_TOPOLOGY_H
#define JF_TOPOLOGY_H

#include <stddef.h>

#include "jefferson/api.h"

typedef struct jf_topology jf_topology_t;

/* A summary for reports. Cache sizes are 0 when hwloc does not know them. */
typedef struct jf_topology_info {
    unsigned packages;
    unsigned cores;
    unsigned pus;
    unsigned long l1d_bytes, l2_bytes, l3_bytes;
} jf_topology_info_t;

/* Loads the machine topology into *out. Returns 0 or JF_ETOPOLOGY / JF_ENOMEM.
 * The topology is read-only afterwards and may be shared by threads. */
JF_API int jf_topology_create(jf_topology_t **out);

/* Frees the topology. NULL does nothing. */
JF_API void jf_topology_destroy(jf_topology_t *topo);

/* Fills *info. Thread-safe. */
JF_API void jf_topology_info(const jf_topology_t *topo, jf_topology_info_t *info);

/* Number of cores (at least 1). Thread-safe. */
JF_API unsigned jf_topology_cores(const jf_topology_t *topo);

/* Index of the core that worker `index` of a run using `cores` cores is
 * pinned to: round-robin over the first min(cores, machine cores) cores. */
JF_API unsigned jf_topology_core_for(const jf_topology_t *topo, unsigned index, unsigned cores);

/* Binds the calling thread to core `core` (HWLOC_CPUBIND_THREAD).
 * Returns 0, or JF_ETOPOLOGY when the OS refuses (the thread then runs
 * unpinned; callers may ignore the error). Thread-safe. */
JF_API int jf_topology_bind_thread(const jf_topology_t *topo, unsigned core);

#endif /* JF_TOPOLOGY_H */
