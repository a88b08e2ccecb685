/* jefferson/jefferson.h - the whole public API of libjefferson in one include.
 *
 * A program builds a pipeline from its own stage functions (pipeline.h,
 * item.h), runs it under a strategy and a scheduler policy (policy.h) on
 * pinned cores (topology.h), reads the results and the trace (trace.h)
 * and draws the trace as an SVG timeline, an HTML page or a Chrome trace
 * (render.h). Every call returns 0 or a negative code of error.h.
 *
 *     cc app.c $(pkg-config --cflags --libs jefferson)
 */
#ifndef JF_JEFFERSON_H
#define JF_JEFFERSON_H

#include "jefferson/api.h"
#include "jefferson/error.h"
#include "jefferson/item.h"
#include "jefferson/pipeline.h"
#include "jefferson/policy.h"
#include "jefferson/render.h"
#include "jefferson/topology.h"
#include "jefferson/trace.h"
#include "jefferson/version.h"
/* The plugin ABI for bench's "plugin" kernel has its own header,
 * jefferson/plugin.h, included by the plugins themselves. */

#endif /* JF_JEFFERSON_H */
