/* SPDX-License-Identifier: MIT */
/* hwcaps explain: every feature of every level, and the dynamic linker's own
 * verdict beside ours. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "dump.h"
#include "json.h"
#include "macro.h"
#include "options.h"
#include "oracle.h"
#include "probe.h"
#include "source-options.h"

static const char *const state_names[] = {
        [HWCAPS_STATE_NONE] = "",
        [HWCAPS_STATE_AVX] = "XMM+YMM state (XCR0 bits 1-2)",
        [HWCAPS_STATE_AVX512] = "AVX-512 state (XCR0 bits 1-2, 5-7)",
};

enum blocker_kind {
        BLOCKER_NONE,   /* usable */
        BLOCKER_CPU,    /* the CPU lacks it */
        BLOCKER_OS,     /* the OS did not enable its register state */
        BLOCKER_NEEDS,  /* a feature it needs is not usable */
        BLOCKER_GLIBC,  /* glibc marks it inactive */
        BLOCKER_OTHER,
};

/* What keeps feature f from being usable: the one rule, for explain's
 * table, its JSON and level --why. */
static enum blocker_kind blocker_kind(const struct hwcaps_probe *p, int f) {
        const struct hwcaps_feature_info *fi = &hwcaps_feature_table[f];
        hwcaps_mask b = HWCAPS_BIT(f);

        if (p->view.usable & b)
                return BLOCKER_NONE;
        if (!(p->view.cpu & b))
                return BLOCKER_CPU;
        if (!(p->view.os & b))
                return BLOCKER_OS;
        if (fi->needs >= 0 && !(p->view.usable & HWCAPS_BIT(fi->needs)))
                return BLOCKER_NEEDS;
        if (p->source == HWCAPS_SOURCE_GLIBC)
                return BLOCKER_GLIBC;
        return BLOCKER_OTHER;
}

/* Why a feature is not usable, or NULL when it is. */
static const char *blocker(const struct hwcaps_probe *p, int f, char *buf, size_t size) {
        const struct hwcaps_feature_info *fi = &hwcaps_feature_table[f];

        switch (blocker_kind(p, f)) {
        case BLOCKER_NONE:
                return NULL;
        case BLOCKER_CPU:
                return "the CPU lacks it";
        case BLOCKER_OS:
                snprintf(buf, size, "the OS did not enable %s", state_names[fi->state]);
                return buf;
        case BLOCKER_NEEDS:
                snprintf(buf, size, "needs %s, which is not usable", hwcaps_feature_table[fi->needs].name);
                return buf;
        case BLOCKER_GLIBC:
                return "glibc marks it inactive (GLIBC_TUNABLES glibc.cpu.hwcaps?)";
        default:
                return "not usable";
        }
}

/* The features of the next level that are not usable, table order. */
static hwcaps_mask next_level_blocked(const struct hwcaps_probe *p) {
        if (p->level >= HWCAPS_LEVEL_MAX)
                return 0;
        return hwcaps_level_requires(p->level + 1) & ~p->view.usable;
}

/* Features blocked alike, said once: the same kind and, for the OS, the
 * same state, for a needed feature the same one. */
static bool same_blocker(const struct hwcaps_probe *p, int f, int g) {
        const struct hwcaps_feature_info *fi = &hwcaps_feature_table[f], *gi = &hwcaps_feature_table[g];
        enum blocker_kind k = blocker_kind(p, f);

        return k == blocker_kind(p, g) && (k != BLOCKER_OS || fi->state == gi->state) &&
               (k != BLOCKER_NEEDS || fi->needs == gi->needs);
}

void explain_why_line(FILE *out, const struct hwcaps_probe *p) {
        hwcaps_mask left = next_level_blocked(p);
        const char *sep = ": ";

        fputs(p->level ? hwcaps_level_name(p->level) : "none", out);
        if (p->level >= HWCAPS_LEVEL_MAX) {
                fputs(", the highest level defined\n", out);
                return;
        }
        fprintf(out, ", not %s", hwcaps_level_name(p->level + 1));
        for (int f = 0; f < HWCAPS_F_COUNT; f++) {
                const struct hwcaps_feature_info *fi = &hwcaps_feature_table[f];
                enum blocker_kind k = blocker_kind(p, f);
                size_t n = 0;

                if (!(left & HWCAPS_BIT(f)))
                        continue;
                fputs(sep, out);
                sep = "; ";
                if (k == BLOCKER_CPU)
                        fputs("the CPU lacks ", out);
                else if (k == BLOCKER_OS)
                        fprintf(out, "the OS did not enable %s for ", state_names[fi->state]);
                else if (k == BLOCKER_GLIBC)
                        fputs("glibc marks inactive ", out);
                for (int g = f; g < HWCAPS_F_COUNT; g++)
                        if ((left & HWCAPS_BIT(g)) && same_blocker(p, f, g)) {
                                fprintf(out, "%s%s", n++ ? ", " : "", hwcaps_feature_table[g].name);
                                left &= ~HWCAPS_BIT(g);
                        }
                if (k == BLOCKER_NEEDS)
                        fprintf(out, " need%s %s, which is not usable", n > 1 ? "" : "s",
                                hwcaps_feature_table[fi->needs].name);
                else if (k == BLOCKER_GLIBC)
                        fputs(" (GLIBC_TUNABLES glibc.cpu.hwcaps?)", out);
                else if (k == BLOCKER_OTHER)
                        fputs(n > 1 ? " are not usable" : " is not usable", out);
        }
        fputc('\n', out);
}

void explain_next_level_json(FILE *out, const struct hwcaps_probe *p) {
        hwcaps_mask blocked = next_level_blocked(p);
        char buf[128];
        bool first = true;

        json_level(out, "next_level", p->level < HWCAPS_LEVEL_MAX ? (int) p->level + 1 : -1, false);
        fputs(",\"blocked_by\":[", out);
        for (int f = 0; f < HWCAPS_F_COUNT; f++)
                if (blocked & HWCAPS_BIT(f)) {
                        fprintf(out, "%s{\"name\":\"%s\",\"blocker\":", first ? "" : ",",
                                hwcaps_feature_table[f].name);
                        json_string(out, blocker(p, f, buf, sizeof buf));
                        fputc('}', out);
                        first = false;
                }
        fputc(']', out);
}

static void where(int f, char *buf, size_t size) {
        const struct hwcaps_feature_info *fi = &hwcaps_feature_table[f];
        char reg[24];

        snprintf(buf, size, "CPUID.%s[%u]", hwcaps_reg_name(fi->reg, reg), fi->bit);
}

static const char *yesno(hwcaps_mask m, int f) {
        return (m & HWCAPS_BIT(f)) ? "yes" : "no";
}

struct verdict {
        const char *ldso;
        int r;            /* 0: oracle ran; <0: it did not (or a dump) */
        unsigned levels;  /* bit L: x86-64-vL supported */
        bool agrees;
};

static unsigned our_levels(const struct hwcaps_probe *p) {
        unsigned m = 0;
        for (int l = HWCAPS_LEVEL_V2; l <= (int) p->level; l++)
                m |= 1u << l;
        return m;
}

static void print_human(const struct hwcaps_probe *p, const struct verdict *v) {
        char buf[128], w[32];

        /* The answer first (as "hwcaps level --why" says it), then how it
         * was reached. */
        explain_why_line(stdout, p);
        putchar('\n');
        printf("CPU:     %s%s%s\n", p->cpuid.vendor, p->brand[0] ? ", " : "", p->brand);
        printf("Source:  %s\n",
               p->source == HWCAPS_SOURCE_GLIBC ? "glibc <sys/platform/x86.h> CPU_FEATURE_ACTIVE (honours GLIBC_TUNABLES, like ld.so)" :
               p->source == HWCAPS_SOURCE_CPUID ? "CPUID and XGETBV instructions" : "libcpuid raw dump");
        if (!p->cpuid.osxsave)
                printf("XCR0:    none (OSXSAVE clear: the OS enabled no AVX state)\n");
        else
                printf("XCR0:    0x%llx%s\n", (unsigned long long) p->cpuid.xcr0,
                       p->xcr0_assumed ? " (assumed from CPUID leaf 0xD: a dump holds no XCR0; Linux enables every component listed there)" : "");
        printf("Level:   %s\n\n", p->level ? hwcaps_level_name(p->level) : "none (not even the x86-64 baseline)");

        for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++) {
                printf("%s%s: %s\n", hwcaps_level_name(l), l == 1 ? " (baseline)" : "",
                       l <= (int) p->level ? "supported" : "not supported");
                printf("  %-14s %-22s %-4s %-4s %-6s\n", "FEATURE", "WHERE", "CPU", "OS", "USABLE");
                for (int f = 0; f < HWCAPS_F_COUNT; f++) {
                        const char *why;
                        if (hwcaps_feature_table[f].level != l)
                                continue;
                        where(f, w, sizeof w);
                        why = blocker(p, f, buf, sizeof buf);
                        printf("  %-14s %-22s %-4s %-4s %-6s%s%s\n", hwcaps_feature_table[f].name, w,
                               yesno(p->view.cpu, f), yesno(p->view.os, f), yesno(p->view.usable, f),
                               why ? "  <- " : "", why ? why : "");
                }
                printf("\n");
        }
        if (p->level < HWCAPS_LEVEL_MAX) {
                printf("Next level %s is blocked by:", hwcaps_level_name(p->level + 1));
                for (int f = 0; f < HWCAPS_F_COUNT; f++)
                        if (next_level_blocked(p) & HWCAPS_BIT(f))
                                printf(" %s (%s);", hwcaps_feature_table[f].name, blocker(p, f, buf, sizeof buf));
                printf("\n");
        } else
                printf("Next level: none, %s is the highest level defined\n", hwcaps_level_name(p->level));

        if (p->source == HWCAPS_SOURCE_DUMP)
                printf("Dynamic linker: not asked (a dump describes another machine)\n");
        else if (v->r < 0)
                printf("Dynamic linker: %s --help gave no glibc-hwcaps verdict (%s)\n", v->ldso, strerror(-v->r));
        else {
                printf("Dynamic linker: %s --help says:", v->ldso);
                for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V2; l--)
                        if (v->levels & (1u << l))
                                printf(" %s", hwcaps_level_name(l));
                printf("%s -- %s\n", v->levels ? "" : " (none)", v->agrees ? "agrees" : "DISAGREES");
        }
}

static void print_json(const struct hwcaps_probe *p, const struct verdict *v) {
        char buf[128], w[32];

        json_begin(stdout, "explain", false);
        printf("\"feature_source\":\"%s\",\"vendor\":", hwcaps_source_name(p->source));
        json_string(stdout, p->cpuid.vendor);
        printf(",\"cpu_name\":");
        json_string(stdout, p->brand);
        printf(",\"osxsave\":%s,\"xcr0\":%llu,\"xcr0_assumed\":%s,",
               json_bool(p->cpuid.osxsave), (unsigned long long) p->cpuid.xcr0, json_bool(p->xcr0_assumed));
        json_level(stdout, "cpu_level", p->level, false);
        putchar(',');
        explain_next_level_json(stdout, p);
        printf(",\"levels\":[");
        for (int l = HWCAPS_LEVEL_V1; l <= HWCAPS_LEVEL_MAX; l++) {
                bool first = true;
                printf("%s{\"level\":\"%s\",\"supported\":%s,\"features\":[", l > 1 ? "," : "",
                       hwcaps_level_name(l), json_bool(l <= (int) p->level));
                for (int f = 0; f < HWCAPS_F_COUNT; f++) {
                        const char *why;
                        if (hwcaps_feature_table[f].level != l)
                                continue;
                        where(f, w, sizeof w);
                        why = blocker(p, f, buf, sizeof buf);
                        printf("%s{\"name\":\"%s\",\"cpuid\":\"%s\",\"cpu\":%s,\"os\":%s,\"usable\":%s,\"blocker\":",
                               first ? "" : ",", hwcaps_feature_table[f].name, w,
                               json_bool(p->view.cpu & HWCAPS_BIT(f)), json_bool(p->view.os & HWCAPS_BIT(f)),
                               json_bool(p->view.usable & HWCAPS_BIT(f)));
                        if (why)
                                json_string(stdout, why);
                        else
                                printf("null");
                        printf("}");
                        first = false;
                }
                printf("]}");
        }
        printf("],\"dynamic_linker\":");
        if (p->source == HWCAPS_SOURCE_DUMP || v->r < 0)
                printf("null");
        else {
                bool first = true;
                printf("{\"path\":");
                json_string(stdout, v->ldso);
                printf(",\"levels\":[");
                for (int l = HWCAPS_LEVEL_MAX; l >= HWCAPS_LEVEL_V2; l--)
                        if (v->levels & (1u << l)) {
                                printf("%s\"%s\"", first ? "" : ",", hwcaps_level_name(l));
                                first = false;
                        }
                printf("],\"agrees\":%s}", json_bool(v->agrees));
        }
        printf("}\n");
}

static const char explain_help[] =
        "Usage: hwcaps explain [--cpuid FILE] [--source glibc|cpuid] [--ldso PATH] [--json]\n"
        "First the level and, in one line, why not the next one. Then, for each\n"
        "level, every required feature: whether the CPU has it, the OS\n"
        "enabled its register state, and a program may use it; what blocks the next\n"
        "level; and the dynamic linker's own verdict beside ours.\n"
        "  --ldso PATH  ask this dynamic linker (default " LDSO_PATH ")\n"
        "Exit status 1 when the dynamic linker disagrees.\n";

static int explain(const struct source_opts *o) {
        struct hwcaps_probe p;
        struct verdict v = { .r = -1 };

        if (source_opts_run(o, &p, true) < 0)
                return EXIT_FAIL;
        v.ldso = o->ldso;
        if (p.source != HWCAPS_SOURCE_DUMP) {
                v.r = hwcaps_oracle_run(o->ldso, &v.levels);
                v.agrees = v.r == 0 && v.levels == our_levels(&p);
        }
        /* Without the dynamic linker's verdict there is nothing to check
         * the levels against: an error, before anything is printed. */
        if (p.source != HWCAPS_SOURCE_DUMP && v.r < 0) {
                log_error("explain: %s --help gave no glibc-hwcaps verdict (%s): nothing to check the levels against",
                          v.ldso, strerror(-v.r));
                return EXIT_FAIL;
        }

        if (o->json)
                print_json(&p, &v);
        else
                print_human(&p, &v);
        if (v.r == 0 && !v.agrees) {
                log_warning("hwcaps and the dynamic linker %s DISAGREE about this CPU's levels; "
                            "programs may be run at the wrong level. Please report this with 'cpuid_tool --save=FILE'.",
                            v.ldso);
                return EXIT_FAIL;
        }
        return EXIT_OK;
}

int cmd_explain(int argc, char **argv) {
        struct source_opts o;
        int r = source_opts_parse(argc, argv, &o, SOURCE_OPT_JSON | SOURCE_OPT_LDSO, explain_help);

        return r > 0 ? explain(&o) : options_exit_status(r);
}
