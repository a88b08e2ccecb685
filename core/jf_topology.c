/* jf_topology.c - hwloc: count cores and pin worker threads to them. */
#include "jefferson/topology.h"

#include <hwloc.h>

#include "jf_alloc.h"
#include "jefferson/error.h"

struct jf_topology {
    hwloc_topology_t topo;
    unsigned cores;
};

int jf_topology_create(jf_topology_t **out)
{
    jf_topology_t *t = jf_calloc(1, sizeof(*t));
    int n;

    if (t == NULL)
        return JF_ENOMEM;
    if (hwloc_topology_init(&t->topo) != 0)
        goto err_free;
    if (hwloc_topology_load(t->topo) != 0)
        goto err_topo;
    n = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_CORE);
    if (n <= 0) /* some virtual machines report PUs only */
        n = hwloc_get_nbobjs_by_type(t->topo, HWLOC_OBJ_PU);
    t->cores = n > 0 ? (unsigned)n : 1;
    *out = t;
    return 0;

err_topo:
    hwloc_topology_destroy(t->topo);
err_free:
    jf_free(t);
    return JF_ETOPOLOGY;
}

void jf_topology_destroy(jf_topology_t *topo)
{
    if (topo == NULL)
        return;
    hwloc_topology_destroy(topo->topo);
    jf_free(topo);
}

static unsigned count(const jf_topology_t *t, hwloc_obj_type_t type)
{
    int n = hwloc_get_nbobjs_by_type(t->topo, type);
    return n > 0 ? (unsigned)n : 0;
}

static unsigned long cache_bytes(const jf_topology_t *t, hwloc_obj_type_t type)
{
    hwloc_obj_t obj = hwloc_get_obj_by_type(t->topo, type, 0);
    return obj != NULL && obj->attr != NULL ? (unsigned long)obj->attr->cache.size : 0;
}

void jf_topology_info(const jf_topology_t *topo, jf_topology_info_t *info)
{
    info->packages = count(topo, HWLOC_OBJ_PACKAGE);
    info->cores = topo->cores;
    info->pus = count(topo, HWLOC_OBJ_PU);
    info->l1d_bytes = cache_bytes(topo, HWLOC_OBJ_L1CACHE);
    info->l2_bytes = cache_bytes(topo, HWLOC_OBJ_L2CACHE);
    info->l3_bytes = cache_bytes(topo, HWLOC_OBJ_L3CACHE);
}

unsigned jf_topology_cores(const jf_topology_t *topo)
{
    return topo->cores;
}

unsigned jf_topology_core_for(const jf_topology_t *topo, unsigned index, unsigned cores)
{
    unsigned usable = cores < topo->cores ? cores : topo->cores;

    return index % (usable ? usable : 1);
}

int jf_topology_bind_thread(const jf_topology_t *topo, unsigned core)
{
    hwloc_obj_t obj = hwloc_get_obj_by_type(topo->topo, HWLOC_OBJ_CORE, core);

    if (obj == NULL)
        obj = hwloc_get_obj_by_type(topo->topo, HWLOC_OBJ_PU, core);
    if (obj == NULL || obj->cpuset == NULL)
        return JF_ETOPOLOGY;
    /* The whole core (all its PUs): the OS may still pick the hyperthread. */
    if (hwloc_set_cpubind(topo->topo, obj->cpuset, HWLOC_CPUBIND_THREAD) != 0)
        return JF_ETOPOLOGY;
    return 0;
}
