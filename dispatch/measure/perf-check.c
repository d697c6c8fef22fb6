/* SPDX-License-Identifier: MIT */
#include <errno.h>
#include <inttypes.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cpu-raw.h"
#include "level.h"
#include "macro.h"
#include "perf-check.h"

/* Raw encodings (event | umask << 8) of the events perf record uses, so the
 * check asks the kernel for exactly what recording will need:
 * Intel BR_INST_RETIRED.NEAR_TAKEN is event 0xC4 umask 0x20 (Sandy Bridge
 * through Sapphire Rapids, perf's pmu-events JSON); AMD
 * RETIRED_TAKEN_BRANCH_INSTRUCTIONS is event 0xC4 (AMD PPR for family 17h/19h
 * "Retired Taken Branch Instructions"), the only event Zen 3 BRS accepts
 * (Linux arch/x86/events/amd/brs.c, AMD_FAM19H_BRS_EVENT). */
#define INTEL_NEAR_TAKEN_RAW 0x20c4
#define AMD_TAKEN_BRANCH_RAW 0x00c4

static int sys_perf_event_open(struct perf_event_attr *a) {
        int fd = (int) syscall(SYS_perf_event_open, a, 0 /* this process */, -1 /* any CPU */, -1, 0);
        if (fd < 0)
                return errno;
        close(fd);
        return 0;
}

static int try_counting(void) {
        struct perf_event_attr a = {
                .type = PERF_TYPE_HARDWARE,
                .size = sizeof(a),
                .config = PERF_COUNT_HW_CPU_CYCLES,
                .disabled = 1,
                .exclude_kernel = 1,
                .exclude_hv = 1,
        };
        return sys_perf_event_open(&a);
}

static int try_branch_stack(enum perf_vendor v) {
        /* What 'perf record -e EVENT:u -b -c 500009' asks for. */
        struct perf_event_attr a = {
                .type = PERF_TYPE_RAW,
                .size = sizeof(a),
                .config = v == PERF_VENDOR_AMD ? AMD_TAKEN_BRANCH_RAW : INTEL_NEAR_TAKEN_RAW,
                .sample_period = PERF_AUTOFDO_PERIOD,
                .sample_type = PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_BRANCH_STACK,
                .branch_sample_type = PERF_SAMPLE_BRANCH_ANY | PERF_SAMPLE_BRANCH_USER,
                .disabled = 1,
                .exclude_kernel = 1,
                .exclude_hv = 1,
        };
        return sys_perf_event_open(&a);
}

/* Display family: base family, plus the extended family when base is 0xF
 * (Intel SDM vol. 2A, CPUID leaf 1 EAX; AMD uses the same rule). */
static unsigned cpuid_family(void) {
        unsigned a, b, c, d;
        __cpuid(1, a, b, c, d);
        unsigned fam = (a >> 8) & 0xf;
        return fam == 0xf ? fam + ((a >> 20) & 0xff) : fam;
}

static int read_int_file(const char *path, int *ret) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        if (!f || fscanf(f, "%d", ret) != 1)
                return -1;
        return 0;
}

static bool dir_exists(const char *path) {
        struct stat st;
        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The first "flags" line of /proc/cpuinfo: the kernel's names for features
 * it detected, including the branch record facilities. */
static void read_cpu_flags(const char *root, struct perf_facts *f) {
        _cleanup_free_ char *path = NULL, *line = NULL;
        _cleanup_fclose_ FILE *in = NULL;
        size_t n = 0;

        if (asprintf(&path, "%s/proc/cpuinfo", root) < 0)
                return;
        in = fopen(path, "re");
        if (!in)
                return;
        while (getline(&line, &n, in) > 0) {
                if (strncmp(line, "flags", 5) != 0)
                        continue;
                const char *p = strchr(line, ':');
                if (!p)
                        return;
                for (char *save = NULL, *w = strtok_r((char *) p + 1, " \t\n", &save); w;
                     w = strtok_r(NULL, " \t\n", &save)) {
                        if (strcmp(w, "arch_lbr") == 0)
                                f->flag_arch_lbr = true;
                        else if (strcmp(w, "brs") == 0)
                                f->flag_brs = true;
                        else if (strcmp(w, "amd_lbr_v2") == 0)
                                f->flag_amd_lbr_v2 = true;
                        else if (strcmp(w, "hypervisor") == 0)
                                f->hypervisor = true;
                }
                return;
        }
}

/* CAP_PERFMON (38, Linux 5.8) or CAP_SYS_ADMIN (21) in the effective set. */
static bool have_perf_capability(void) {
        _cleanup_fclose_ FILE *in = fopen("/proc/self/status", "re");
        _cleanup_free_ char *line = NULL;
        size_t n = 0;
        uint64_t caps;

        if (geteuid() == 0)
                return true;
        if (!in)
                return false;
        while (getline(&line, &n, in) > 0)
                if (sscanf(line, "CapEff: %" SCNx64, &caps) == 1)
                        return caps & ((UINT64_C(1) << 38) | (UINT64_C(1) << 21));
        return false;
}

static void find_perf_tool(struct perf_facts *f) {
        const char *env = getenv("HWCAPS_PERF");
        const char *names[] = { env && *env ? env : "perf", NULL };
        _cleanup_free_ char *perf = find_program(names);
        _cleanup_free_ char *out = NULL;
        char *argv[] = { (char *) "perf", (char *) "version", (char *) "--build-options", NULL };

        f->perf_found = perf != NULL;
        if (!perf)
                return;
        argv[0] = perf;
        if (run_capture(argv, &out, NULL) >= 0 && out) {
                const char *p = strstr(out, "libpfm4:");
                f->perf_libpfm = p && strncmp(p + strcspn(p, "["), "[ on", 4) == 0;
        }
}

void perf_check_gather(const char *root, struct perf_facts *f) {
        struct hwcaps_cpuid c = {};
        _cleanup_free_ char *path = NULL;

        *f = (struct perf_facts) { .paranoid = -100 };
        hwcaps_cpuid_read_raw(&c);
        memcpy(f->vendor_id, c.vendor, sizeof(f->vendor_id));
        f->vendor_id[sizeof(f->vendor_id) - 1] = '\0';
        if (strcmp(c.vendor, "GenuineIntel") == 0)
                f->vendor = PERF_VENDOR_INTEL;
        else if (strcmp(c.vendor, "AuthenticAMD") == 0 || strcmp(c.vendor, "HygonGenuine") == 0)
                f->vendor = PERF_VENDOR_AMD;
        f->family = cpuid_family();
        f->hypervisor = c.reg[HWCAPS_REG_1_ECX] & (UINT32_C(1) << 31);

        if (asprintf(&path, "%s/proc/sys/kernel/perf_event_paranoid", root) >= 0)
                (void) read_int_file(path, &f->paranoid);
        f->privileged = have_perf_capability();
        /* Hybrid Intel CPUs (Alder Lake and later) name their big-core PMU
         * cpu_core; everything else has one PMU named cpu. */
        static const char *const pmus[] = { "cpu", "cpu_core" };
        for (size_t i = 0; i < ELEMENTSOF(pmus) && !f->pmu[0]; i++) {
                free(path);
                path = NULL;
                if (asprintf(&path, "%s/sys/bus/event_source/devices/%s", root, pmus[i]) >= 0 && dir_exists(path))
                        snprintf(f->pmu, sizeof(f->pmu), "%s", pmus[i]);
        }
        read_cpu_flags(root, f);

        f->count_errno = try_counting();
        f->branch_errno = f->vendor == PERF_VENDOR_OTHER ? EOPNOTSUPP : try_branch_stack(f->vendor);
        find_perf_tool(f);
}

static const char *errno_name(int e) {
        switch (e) {
        case ENOENT: return "ENOENT";
        case ENODEV: return "ENODEV";
        case EOPNOTSUPP: return "EOPNOTSUPP";
        case EACCES: return "EACCES";
        case EPERM: return "EPERM";
        case EINVAL: return "EINVAL";
        case EBUSY: return "EBUSY";
        default: return "errno";
        }
}

#define SET(field, ...) snprintf(r->field, sizeof(r->field), __VA_ARGS__)

static void no_pmu(const struct perf_facts *f, struct perf_report *r) {
        int e = f->count_errno ? f->count_errno : f->branch_errno;

        r->verdict = PERF_NO_PMU;
        if (f->pmu[0])
                SET(reason, "no usable hardware performance counters: the kernel lists PMU \"%s\" but "
                            "perf_event_open of a hardware event fails with %s: %s%s",
                    f->pmu, errno_name(e), strerror(e),
                    f->hypervisor ? "; this is a virtual machine" : "");
        else
                SET(reason, "no hardware performance counters: the kernel exposes no CPU PMU "
                            "(/sys/bus/event_source/devices/cpu is missing; perf_event_open of a hardware "
                            "event fails with %s: %s)%s",
                    errno_name(e), strerror(e),
                    f->hypervisor ? "; this is a virtual machine whose hypervisor passes no PMU through" : "");
        SET(hint, "record on bare metal, or in a VM with a virtual PMU and branch records "
                  "(KVM: -cpu host,pmu=on; Intel LBR needs a host model match), then copy perf.data "
                  "and the binary here and run 'hwcaps profile convert'");
}

void perf_check_verdict(const struct perf_facts *f, struct perf_report *r) {
        int e = f->branch_errno;

        *r = (struct perf_report) {};
        if (f->vendor == PERF_VENDOR_OTHER) {
                r->verdict = PERF_UNKNOWN_VENDOR;
                SET(reason, "CPU vendor \"%s\" has no known AutoFDO recording recipe "
                            "(expected GenuineIntel, AuthenticAMD or HygonGenuine)", f->vendor_id);
                return;
        }
        if (e == 0) {
                if (!f->perf_found) {
                        r->verdict = PERF_NO_TOOL;
                        SET(reason, "the kernel can sample branch stacks, but perf(1) is not installed");
                        SET(hint, "install perf (Debian: linux-perf; Fedora: perf)");
                        return;
                }
                r->verdict = PERF_OK;
                SET(reason, "the kernel samples branch stacks (%s) on PMU \"%s\"",
                    f->vendor == PERF_VENDOR_INTEL ? "Intel LBR" :
                    f->flag_amd_lbr_v2 ? "AMD LbrExtV2" : f->flag_brs ? "AMD BRS" : "AMD branch sampling",
                    f->pmu[0] ? f->pmu : "cpu");
                return;
        }
        if (e == EACCES || e == EPERM) {
                r->verdict = PERF_DENIED;
                if (f->paranoid > -100)
                        SET(reason, "perf_event_open denied (%s): kernel.perf_event_paranoid is %d%s",
                            errno_name(e), f->paranoid,
                            f->paranoid > 2 ? ", which forbids perf to unprivileged users (a Debian patch)" :
                                              " and this process lacks CAP_PERFMON");
                else
                        SET(reason, "perf_event_open denied (%s: %s)", errno_name(e), strerror(e));
                SET(hint, "run as root, give perf CAP_PERFMON, or allow user-space profiling of "
                          "your own processes with 'sysctl kernel.perf_event_paranoid=2'");
                return;
        }
        if (!f->pmu[0] || (f->count_errno != 0 && f->count_errno != EACCES && f->count_errno != EPERM)) {
                no_pmu(f, r);
                return;
        }
        if (e == EOPNOTSUPP) {
                r->verdict = PERF_NO_BRANCH_STACK;
                if (f->vendor == PERF_VENDOR_INTEL)
                        SET(reason, "the PMU counts but records no branch stacks: no usable LBR%s",
                            f->hypervisor ? " (this VM does not virtualize LBR)" : "");
                else if (f->family < 0x19)
                        SET(reason, "the PMU counts but AMD family %xh has no branch sampling: "
                                    "BRS arrived with Zen 3 EPYC (family 19h), LbrExtV2 with Zen 4", f->family);
                else
                        SET(reason, "the PMU counts but records no branch stacks: /proc/cpuinfo shows "
                                    "neither \"brs\" (Zen 3 EPYC; kernel >= 5.19 with CONFIG_PERF_EVENTS_AMD_BRS) "
                                    "nor \"amd_lbr_v2\" (Zen 4 and later; kernel >= 6.1)%s",
                            f->hypervisor ? "; this VM passes neither through" : "");
                SET(hint, "record on a machine with branch records (Intel LBR, AMD Zen 3 EPYC BRS, "
                          "Zen 4/5) and copy perf.data here for 'hwcaps profile convert'");
                return;
        }
        r->verdict = PERF_BAD_EVENT;
        SET(reason, "the PMU rejected the taken-branch event with a branch stack (%s: %s)",
            errno_name(e), strerror(e));
        SET(hint, "try 'perf record -b' by hand with the command below to see perf's own diagnosis");
}

const char *perf_event_for(enum perf_vendor v, bool libpfm, bool *pfm) {
        /* ":u": user space only. A program's profile needs no kernel
         * branches, and user-only sampling is what perf_event_paranoid=2
         * (the upstream default) allows an unprivileged user. */
        *pfm = false;
        if (v == PERF_VENDOR_INTEL)
                return "BR_INST_RETIRED.NEAR_TAKEN:u";
        if (v != PERF_VENDOR_AMD)
                return NULL;
        /* RETIRED_TAKEN_BRANCH_INSTRUCTIONS is libpfm4's name, which perf
         * accepts only with --pfm-event and only when built with libpfm4
         * (Debian 12's perf is not); the raw encoding is the same event. */
        if (libpfm) {
                *pfm = true;
                return "RETIRED_TAKEN_BRANCH_INSTRUCTIONS:u";
        }
        return "cpu/event=0xc4,name=RETIRED_TAKEN_BRANCH_INSTRUCTIONS/u";
}

int perf_record_argv(const struct perf_facts *f, const char *output, unsigned period,
                     char *const *cmd, struct argv_buf *a) {
        bool pfm;
        const char *ev = perf_event_for(f->vendor, f->perf_libpfm, &pfm);
        int r;

        if (!ev)
                return -EOPNOTSUPP;
        if ((r = argv_add(a, "perf")) < 0 ||
            (r = argv_add(a, "record")) < 0 ||
            (r = argv_add(a, pfm ? "--pfm-event" : "-e")) < 0 ||
            (r = argv_add(a, ev)) < 0 ||
            (r = argv_add(a, "-b")) < 0 ||
            (r = argv_add(a, "-c")) < 0 ||
            (r = argv_addf(a, "%u", period)) < 0 ||
            (r = argv_add(a, "-o")) < 0 ||
            (r = argv_add(a, output)) < 0 ||
            (r = argv_add(a, "--")) < 0)
                return r;
        if (!cmd)
                return argv_add(a, "COMMAND");
        for (; *cmd; cmd++)
                if ((r = argv_add(a, *cmd)) < 0)
                        return r;
        return 0;
}
