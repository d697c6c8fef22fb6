/* SPDX-License-Identifier: MIT */
/* Can this machine record AutoFDO profiles? Sampling with branch stacks
 * (PERF_SAMPLE_BRANCH_STACK) needs a CPU PMU the kernel drives (absent in
 * most VMs), a branch record facility (Intel LBR; AMD BRS on Zen 3, LbrExtV2
 * on Zen 4 and later) and the permission to use it (perf_event_paranoid or
 * CAP_PERFMON).
 *
 * perf_check_gather() does the I/O (files under the sysroot prefix,
 * perf_event_open); perf_check_verdict() and perf_record_argv() are pure and
 * unit-tested. */
#pragma once

#include <stdbool.h>

#include "subprocess.h"

enum perf_vendor {
        PERF_VENDOR_OTHER,
        PERF_VENDOR_INTEL,
        PERF_VENDOR_AMD, /* also Hygon, which shares AMD's PMU */
};

/* The period every AutoFDO recipe uses: a prime, so sampling does not lock
 * onto loop trip counts (Linux Documentation/dev-tools/autofdo.rst). */
#define PERF_AUTOFDO_PERIOD 500009u

struct perf_facts {
        enum perf_vendor vendor;
        char vendor_id[13];
        unsigned family;       /* CPUID display family */
        bool hypervisor;       /* CPUID leaf 1 ECX bit 31: running in a VM */
        int paranoid;          /* kernel.perf_event_paranoid; -100 unknown */
        bool privileged;       /* euid 0 (CAP_PERFMON treated alike) */
        char pmu[16];          /* "cpu" or "cpu_core" when present, else "" */
        /* CPU flags from /proc/cpuinfo that name a branch record facility. */
        bool flag_arch_lbr, flag_brs, flag_amd_lbr_v2;
        int count_errno;       /* perf_event_open of a counting hardware event: 0 or errno */
        int branch_errno;      /* ... of the sampling event with a branch stack */
        bool perf_found;       /* perf(1) in PATH */
        bool perf_libpfm;      /* perf built with libpfm4 (--pfm-event) */
};

enum perf_verdict {
        PERF_OK,
        PERF_NO_PMU,          /* no hardware counters at all */
        PERF_NO_BRANCH_STACK, /* counters, but no LBR/BRS */
        PERF_DENIED,          /* paranoid level / missing capability */
        PERF_BAD_EVENT,       /* the PMU rejected the event */
        PERF_UNKNOWN_VENDOR,
        PERF_NO_TOOL,         /* kernel could, but perf(1) is missing */
};

struct perf_report {
        enum perf_verdict verdict;
        char reason[512];     /* one sentence: why not (or what works) */
        char hint[512];       /* what to do about it; may be empty */
};

void perf_check_gather(const char *root, struct perf_facts *ret);
void perf_check_verdict(const struct perf_facts *f, struct perf_report *ret);

/* The event spec for perf record -e (or --pfm-event when *pfm is set). */
const char *perf_event_for(enum perf_vendor v, bool libpfm, bool *pfm);

/* perf record -b with the vendor's taken-branch event and period around cmd
 * (may be NULL: then a placeholder "COMMAND" is used, for display). */
int perf_record_argv(const struct perf_facts *f, const char *output, unsigned period,
                     char *const *cmd, struct argv_buf *ret);
