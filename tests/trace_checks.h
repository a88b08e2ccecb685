/* trace_checks.h - what every trace of a carrying run must show, for the engine's and the simulator's tests. */
#ifndef JF_TEST_TRACE_CHECKS_H
#define JF_TEST_TRACE_CHECKS_H

#include <stdint.h>

#include "jefferson/trace.h"

/* Checks, with cmocka's asserts (include <cmocka.h> first), that every
 * batch flagged JF_EV_CARRIED runs one stage after its lane's previous
 * batch, with the same items. Returns how many batches are flagged. */
static inline uint64_t check_carried_batches(const jf_trace_t *t)
{
    uint64_t flagged = 0;

    for (size_t l = 0; l < t->nlanes; l++) {
        const jf_trace_lane_t *lane = &t->lanes[l];
        const jf_event_t *last = NULL; /* the lane's previous BATCH_BEGIN */
        for (size_t e = 0; e < lane->count; e++) {
            const jf_event_t *ev = &lane->events[e];
            if (ev->kind != JF_EV_BATCH_BEGIN)
                continue;
            if (ev->flags & JF_EV_CARRIED) {
                flagged++;
                assert_non_null(last);
                assert_int_equal(ev->stage, last->stage + 1);
                assert_int_equal(ev->count, last->count);
            }
            last = ev;
        }
    }
    return flagged;
}

#endif /* JF_TEST_TRACE_CHECKS_H */
