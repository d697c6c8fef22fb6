/* SPDX-License-Identifier: MIT */
/* hwcaps profile check|record|convert|merge|show: AutoFDO sample profiles
 * for the profile dimension of the build (clang -fprofile-sample-use=).
 *
 * The pipeline is perf record -b (branch stacks) -> perf.data -> llvm-profgen
 * or create_llvm_prof -> sample profile; llvm-profdata merges and prints
 * them. Every profile we write goes through 'llvm-profdata merge --sample',
 * so its format is the one the installed LLVM reads. */
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "escape.h"
#include "fileio.h"
#include "json.h"
#include "macro.h"
#include "options.h"
#include "perf-check.h"
#include "sampleprof.h"
#include "subprocess.h"

static const char profile_help[] =
        "Usage: hwcaps profile COMMAND [OPTIONS...]\n"
        "\n"
        "AutoFDO sample profiles for clang's -fprofile-sample-use=.\n"
        "\n"
        "Commands:\n"
        "  check [--json]                       can this machine record branch-stack samples?\n"
        "  record [-o FILE] [-c N] -- CMD...    run CMD under 'perf record -b' (default perf.data)\n"
        "  convert --binary BIN [-o OUT] [--tool llvm-profgen|create_llvm_prof] [--text]\n"
        "          [--perfscript] [--debug-binary FILE] PERFDATA\n"
        "                                       perf.data + binary -> sample profile (default OUT: BIN.afdo)\n"
        "  merge -o OUT [--text] PROFILE...     several sample profiles -> one (llvm-profdata merge --sample)\n"
        "  show [-n N] [--json] PROFILE         the N functions with the most samples (default 10)\n"
        "  coverage [--min N] [-n N] [--json] LOG\n"
        "                                       the share of the profile clang applied, from a build log\n"
        "\n"
        "Tools are looked up in PATH; override with HWCAPS_PERF, HWCAPS_LLVM_PROFDATA,\n"
        "HWCAPS_LLVM_PROFGEN, HWCAPS_CREATE_LLVM_PROF.\n"
        "Exit status: 0 success, 1 failure (check: cannot record here), 2 usage error.\n";

/* Program names to try, newest LLVM first, after an environment override. */
static char *find_tool(const char *env, const char *const *names) {
        const char *e = getenv(env);
        if (e && *e) {
                const char *one[] = { e, NULL };
                return find_program(one);
        }
        return find_program(names);
}

static const char *const perf_names[] = { "perf", NULL };
static const char *const profdata_names[] = {
        "llvm-profdata", "llvm-profdata-19", "llvm-profdata-18", "llvm-profdata-17",
        "llvm-profdata-16", "llvm-profdata-15", "llvm-profdata-14", NULL };
static const char *const profgen_names[] = {
        "llvm-profgen", "llvm-profgen-19", "llvm-profgen-18", "llvm-profgen-17",
        "llvm-profgen-16", "llvm-profgen-15", "llvm-profgen-14", NULL };
static const char *const create_llvm_prof_names[] = { "create_llvm_prof", NULL };

static char *find_profdata(void) {
        char *p = find_tool("HWCAPS_LLVM_PROFDATA", profdata_names);
        if (!p)
                log_error("llvm-profdata not found in PATH (Debian: apt install llvm-14; "
                          "or set HWCAPS_LLVM_PROFDATA)");
        return p;
}

/* run_wait/run_capture, logging a failure to start once. */
static int run_logged(char *const *argv, char **ret_out) {
        int r = ret_out ? run_capture(argv, ret_out, NULL) : run_wait(argv, NULL);
        if (r < 0)
                log_error("cannot run %s: %s", argv[0], strerror(-r));
        return r;
}

static const char *verdict_id(enum perf_verdict v) {
        static const char *const ids[] = {
                [PERF_OK] = "supported",
                [PERF_NO_PMU] = "no-pmu",
                [PERF_NO_BRANCH_STACK] = "no-branch-stack",
                [PERF_DENIED] = "denied",
                [PERF_BAD_EVENT] = "event-rejected",
                [PERF_UNKNOWN_VENDOR] = "unknown-vendor",
                [PERF_NO_TOOL] = "no-perf-tool",
        };
        return (size_t) v < ELEMENTSOF(ids) ? ids[v] : "unknown";
}

static const char check_help[] =
        "Usage: hwcaps profile check [--json]\n"
        "Say whether this machine can record AutoFDO profiles (branch-stack\n"
        "sampling) and why, and print the perf record command 'record' uses.\n"
        "Exit status 0 when it can, 1 when it cannot.\n";

struct check_args {
        bool json;
};

static int parse_argv_check(int argc, char **argv, struct check_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, 'j' },
                {}
        };
        struct options o = {
                .name = "profile check", .help = check_help, .shortopts = ":h", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct check_args) {};
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'j':
                        ret->json = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        return options_no_operands(&o);
}

/* What 'profile check' finds: the machine, the verdict, the tools. */
struct recording {
        struct perf_facts f;
        struct perf_report r;
        char *cmdline, *profgen, *clp, *profdata;
};

static void recording_done(struct recording *rec) {
        free(rec->cmdline);
        free(rec->profgen);
        free(rec->clp);
        free(rec->profdata);
}

static void print_check_json(const struct recording *rec) {
        const struct perf_facts *f = &rec->f;

        json_begin(stdout, "profile check", false);
        printf("\"supported\":%s,\"verdict\":\"%s\",\"reason\":", json_bool(rec->r.verdict == PERF_OK),
               verdict_id(rec->r.verdict));
        json_string(stdout, rec->r.reason);
        printf(",\"hint\":");
        json_string(stdout, rec->r.hint);
        printf(",\"vendor\":");
        json_string(stdout, f->vendor_id);
        printf(",\"family\":%u,\"virtual_machine\":%s,\"pmu\":", f->family, json_bool(f->hypervisor));
        if (f->pmu[0])
                json_string(stdout, f->pmu);
        else
                fputs("null", stdout);
        if (f->paranoid > -100)
                printf(",\"perf_event_paranoid\":%d", f->paranoid);
        else
                printf(",\"perf_event_paranoid\":null");
        printf(",\"counting_errno\":%d,\"branch_stack_errno\":%d,\"perf_found\":%s",
               f->count_errno, f->branch_errno, json_bool(f->perf_found));
        const char *const paths[][2] = {
                { "record_command", rec->cmdline }, { "llvm_profgen", rec->profgen },
                { "create_llvm_prof", rec->clp }, { "llvm_profdata", rec->profdata },
        };
        for (size_t i = 0; i < ELEMENTSOF(paths); i++) {
                fputc(',', stdout);
                json_name(stdout, paths[i][0], paths[i][1], false);
        }
        printf("}\n");
}

static void print_check_human(const struct recording *rec) {
        const struct perf_facts *f = &rec->f;
        _cleanup_free_ char *b_cmd = NULL, *b_profgen = NULL, *b_clp = NULL;

        printf("AutoFDO recording: %s\n",
               rec->r.verdict == PERF_OK ? "supported" : "not supported on this machine");
        printf("  why:     %s\n", rec->r.reason);
        if (rec->r.hint[0])
                printf("  what to do: %s\n", rec->r.hint);
        printf("CPU:       %s family %xh%s\n", f->vendor_id, f->family,
               f->hypervisor ? ", virtual machine (CPUID hypervisor bit)" : "");
        printf("PMU:       %s\n", f->pmu[0] ? f->pmu : "none (no /sys/bus/event_source/devices/cpu)");
        printf("branch records: %s\n",
               f->flag_arch_lbr ? "arch_lbr" : f->flag_amd_lbr_v2 ? "amd_lbr_v2" :
               f->flag_brs ? "brs" : f->vendor == PERF_VENDOR_INTEL ? "model-specific LBR (no cpuinfo flag)" :
               "none in /proc/cpuinfo");
        if (f->paranoid > -100)
                printf("kernel.perf_event_paranoid: %d%s\n", f->paranoid,
                       f->privileged ? " (this process is privileged)" : "");
        printf("perf_event_open: counting cycles: %s; taken branches with branch stack: %s\n",
               f->count_errno ? strerror(f->count_errno) : "ok",
               f->branch_errno ? strerror(f->branch_errno) : "ok");
        printf("perf:      %s\n", f->perf_found ? (f->perf_libpfm ? "found (with libpfm4)" : "found") :
                                                "not found (Debian: linux-perf)");
        if (rec->cmdline)
                printf("record command: %s\n", escape_name(rec->cmdline, &b_cmd));
        printf("convert:   llvm-profgen %s, create_llvm_prof %s\n",
               rec->profgen ? escape_name(rec->profgen, &b_profgen) : "not found",
               rec->clp ? escape_name(rec->clp, &b_clp) : "not found");
}

static int check_recording(const struct check_args *a) {
        _cleanup_(recording_done) struct recording rec = {};
        _cleanup_argv_ struct argv_buf argv = {};

        perf_check_gather(hwcaps_root(NULL), &rec.f);
        perf_check_verdict(&rec.f, &rec.r);
        if (perf_record_argv(&rec.f, "perf.data", PERF_AUTOFDO_PERIOD, NULL, &argv) >= 0)
                rec.cmdline = argv_join(argv.v);
        rec.profgen = find_tool("HWCAPS_LLVM_PROFGEN", profgen_names);
        rec.clp = find_tool("HWCAPS_CREATE_LLVM_PROF", create_llvm_prof_names);
        rec.profdata = find_tool("HWCAPS_LLVM_PROFDATA", profdata_names);

        if (a->json)
                print_check_json(&rec);
        else
                print_check_human(&rec);
        return rec.r.verdict == PERF_OK ? EXIT_OK : EXIT_FAIL;
}

static int profile_check(int argc, char **argv) {
        struct check_args args;
        int r = parse_argv_check(argc, argv, &args);

        return r > 0 ? check_recording(&args) : options_exit_status(r);
}

static int parse_period(const char *s, unsigned *ret) {
        unsigned long v;

        /* BRS needs a fixed period above its 16-entry depth (Linux brs.c). */
        if (options_unsigned(s, 17, 0xffffffffUL, &v) < 0)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

static const char record_help[] =
        "Usage: hwcaps profile record [-o FILE] [-c PERIOD] -- COMMAND [ARGS...]\n"
        "Run COMMAND under 'perf record -b' with the CPU vendor's taken-branch\n"
        "event, sampling every PERIOD events (default 500009). Checks first\n"
        "that the machine can record ('hwcaps profile check') and runs nothing\n"
        "when it cannot. Default FILE: perf.data.\n";

struct record_args {
        const char *output;
        unsigned period;
        char **cmd;         /* COMMAND [ARGS...] */
};

static int parse_argv_record(int argc, char **argv, struct record_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "output", required_argument, NULL, 'o' },
                { "period", required_argument, NULL, 'c' },
                {}
        };
        /* '+': stop at the first non-option, the COMMAND. */
        struct options o = {
                .name = "profile record", .help = record_help, .shortopts = "+:ho:c:", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct record_args) { .output = "perf.data", .period = PERF_AUTOFDO_PERIOD };
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'o':
                        ret->output = optarg;
                        break;
                case 'c':
                        if (parse_period(optarg, &ret->period) < 0) {
                                usage_error("profile record: invalid period '%s' (expected an integer above 16)", optarg);
                                return -EINVAL;
                        }
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (optind >= argc) {
                usage_error("profile record: missing COMMAND (hwcaps profile record -- COMMAND [ARGS...])");
                return -EINVAL;
        }
        ret->cmd = argv + optind;
        return 1;
}

static int record(const struct record_args *a) {
        _cleanup_argv_ struct argv_buf argv = {};
        _cleanup_free_ char *cmdline = NULL, *perf = NULL;
        struct perf_facts f;
        struct perf_report r;

        /* Cheap checks first: COMMAND may run for hours. */
        perf_check_gather(hwcaps_root(NULL), &f);
        perf_check_verdict(&f, &r);
        if (r.verdict != PERF_OK) {
                log_error("cannot record an AutoFDO profile on this machine: %s", r.reason);
                if (r.hint[0])
                        log_notice("%s", r.hint);
                log_notice("nothing was run; see 'hwcaps profile check'");
                return EXIT_FAIL;
        }
        perf = find_tool("HWCAPS_PERF", perf_names);
        if (!perf) {
                log_error("perf not found in PATH (Debian: apt install linux-perf)");
                return EXIT_FAIL;
        }
        if (perf_record_argv(&f, a->output, a->period, a->cmd, &argv) < 0) {
                log_error("out of memory");
                return EXIT_FAIL;
        }
        free(argv.v[0]);
        argv.v[0] = strdup(perf);
        if (!argv.v[0])
                return EXIT_FAIL;
        cmdline = argv_join(argv.v);
        log_notice("running %s", cmdline ? cmdline : "perf record");
        int st = run_logged(argv.v, NULL);
        if (st < 0)
                return EXIT_FAIL;
        if (st != 0) {
                log_error("perf record exited with status %d", st);
                return EXIT_FAIL;
        }
        log_notice("wrote %s; next: hwcaps profile convert --binary BINARY %s", a->output, a->output);
        return EXIT_OK;
}

static int profile_record(int argc, char **argv) {
        struct record_args args;
        int r = parse_argv_record(argc, argv, &args);

        return r > 0 ? record(&args) : options_exit_status(r);
}

/* Read exactly n bytes at off; 0 or -errno (-EBADMSG when short). */
static int pread_full(int fd, void *buf, size_t n, off_t off) {
        ssize_t k = pread(fd, buf, n, off);
        if (k < 0)
                return negative_errno();
        return (size_t) k == n ? 0 : -EBADMSG;
}

/* Does the ELF64 file have a section called name? 1 yes (its file offset
 * and size in *ret_off and *ret_size when not NULL), 0 no, -EBADMSG not an
 * ELF64 file, -errno I/O. AutoFDO maps samples to source lines, so a
 * binary without .debug_line yields an empty profile. */
static int elf_section(const char *path, const char *name, uint64_t *ret_off, uint64_t *ret_size) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        _cleanup_free_ Elf64_Shdr *sh = NULL;
        _cleanup_free_ char *strtab = NULL;
        Elf64_Ehdr eh;
        int r;

        if (fd < 0)
                return negative_errno();
        if ((r = pread_full(fd, &eh, sizeof(eh), 0)) < 0)
                return r;
        if (memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
            eh.e_shentsize != sizeof(Elf64_Shdr))
                return -EBADMSG;
        /* e_shnum 0 with sections means > 65279 sections (kept in sh[0]);
         * not worth supporting for a sanity check. */
        if (eh.e_shnum == 0 || eh.e_shstrndx >= eh.e_shnum)
                return 0;
        sh = calloc(eh.e_shnum, sizeof(Elf64_Shdr));
        if (!sh)
                return -ENOMEM;
        if ((r = pread_full(fd, sh, eh.e_shnum * sizeof(Elf64_Shdr), (off_t) eh.e_shoff)) < 0)
                return r;
        const Elf64_Shdr *s = &sh[eh.e_shstrndx];
        if (s->sh_size == 0 || s->sh_size > (64u << 20))
                return -EBADMSG;
        strtab = malloc(s->sh_size + 1);
        if (!strtab)
                return -ENOMEM;
        if ((r = pread_full(fd, strtab, s->sh_size, (off_t) s->sh_offset)) < 0)
                return r;
        strtab[s->sh_size] = '\0';
        for (unsigned i = 0; i < eh.e_shnum; i++)
                if (sh[i].sh_name < s->sh_size && strcmp(strtab + sh[i].sh_name, name) == 0) {
                        if (ret_off)
                                *ret_off = sh[i].sh_offset;
                        if (ret_size)
                                *ret_size = sh[i].sh_size;
                        return 1;
                }
        return 0;
}

static int elf_has_section(const char *path, const char *name) {
        return elf_section(path, name, NULL, NULL);
}

/* The DWARF version of the first unit in .debug_info (its header: a 4-byte
 * length, or 0xffffffff and 8 bytes, then a 2-byte version); 0 when there
 * is no .debug_info (line tables only) or it cannot be read. */
static int dwarf_version(const char *path) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        uint64_t off = 0, size = 0;
        uint32_t len;
        uint16_t v;

        if (fd < 0 || elf_section(path, ".debug_info", &off, &size) <= 0 || size < 6 || off > INT64_MAX - 12)
                return 0;
        if (pread_full(fd, &len, sizeof len, (off_t) off) < 0)
                return 0;
        uint64_t hdr = len == 0xffffffffu ? 12 : 4;
        if (size < hdr + 2 || pread_full(fd, &v, sizeof v, (off_t) (off + hdr)) < 0)
                return 0;
        return v;
}

/* perf.data files start with "PERFILE2" (tools/perf/util/header.c);
 * a pipe-mode file does too. */
static int check_perf_data(const char *path) {
        _cleanup_close_ int fd = open(path, O_RDONLY | O_CLOEXEC);
        char magic[8];

        if (fd < 0) {
                log_error("cannot read perf data %s: %s", path, strerror(errno));
                return -errno;
        }
        if (pread_full(fd, magic, sizeof(magic), 0) < 0 || memcmp(magic, "PERFILE2", 8) != 0) {
                log_error("%s is not a perf.data file (no PERFILE2 header); "
                          "record one with 'hwcaps profile record -o %s -- COMMAND'", path, path);
                return -EBADMSG;
        }
        return 0;
}

static int reencode(const char *profdata, const char *in, const char *out, bool text) {
        char *argv[] = { (char *) profdata, (char *) "merge", (char *) "--sample",
                         (char *) (text ? "--text" : "--extbinary"),
                         (char *) "-o", (char *) out, (char *) in, NULL };
        int st = run_logged(argv, NULL);
        if (st > 0)
                log_error("llvm-profdata merge failed (exit status %d)", st);
        return st == 0 ? 0 : -EIO;
}

static const char convert_help[] =
        "Usage: hwcaps profile convert --binary BINARY [-o OUT] [--tool TOOL] [--text]\n"
        "       [--perfscript] [--debug-binary FILE] PERFDATA\n"
        "Turn perf.data recorded with branch stacks and the exact binary that ran\n"
        "(built with -g or -gline-tables-only) into a sample profile for clang's\n"
        "-fprofile-sample-use=: extbinary format, or LLVM's text format with --text.\n"
        "TOOL: llvm-profgen (default when installed) or create_llvm_prof (autofdo).\n"
        "--perfscript: PERFDATA is the text of 'perf script -F ip,brstack\n"
        "--show-mmap-events' instead (llvm-profgen only), e.g. from a machine\n"
        "whose perf.data this perf cannot read.\n"
        "--debug-binary FILE: the line tables of a stripped BINARY, from its separate\n"
        "debug info (e.g. /usr/lib/debug/.build-id/xx/yyy.debug; llvm-profgen only).\n"
        "Default OUT: BINARY.afdo in the current directory.\n";

struct convert_args {
        const char *binary, *perfdata;
        const char *output;     /* NULL: BINARY.afdo */
        const char *tool;       /* NULL: whichever is installed */
        const char *debug_binary; /* NULL: BINARY has its own line tables */
        bool text, perfscript;
};

static int parse_argv_convert(int argc, char **argv, struct convert_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "binary", required_argument, NULL, 'b' },
                { "output", required_argument, NULL, 'o' },
                { "tool", required_argument, NULL, 't' },
                { "text", no_argument, NULL, 'T' },
                { "perfscript", no_argument, NULL, 'S' },
                { "debug-binary", required_argument, NULL, 'd' },
                {}
        };
        struct options o = {
                .name = "profile convert", .help = convert_help, .shortopts = ":hb:o:", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct convert_args) {};
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'b':
                        ret->binary = optarg;
                        break;
                case 'o':
                        ret->output = optarg;
                        break;
                case 't':
                        if (strcmp(optarg, "llvm-profgen") != 0 && strcmp(optarg, "create_llvm_prof") != 0) {
                                usage_error("profile convert: unknown tool '%s' (expected llvm-profgen or create_llvm_prof)", optarg);
                                return -EINVAL;
                        }
                        ret->tool = optarg;
                        break;
                case 'T':
                        ret->text = true;
                        break;
                case 'S':
                        ret->perfscript = true;
                        break;
                case 'd':
                        ret->debug_binary = optarg;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (ret->perfscript && ret->tool && strcmp(ret->tool, "llvm-profgen") != 0) {
                usage_error("profile convert: --perfscript needs --tool llvm-profgen (create_llvm_prof reads only perf.data)");
                return -EINVAL;
        }
        if (ret->debug_binary && ret->tool && strcmp(ret->tool, "llvm-profgen") != 0) {
                usage_error("profile convert: --debug-binary needs --tool llvm-profgen (create_llvm_prof reads line tables only from the binary)");
                return -EINVAL;
        }
        if (ret->perfscript || ret->debug_binary)
                ret->tool = "llvm-profgen";
        if (!ret->binary) {
                usage_error("profile convert: missing --binary BINARY (the program perf recorded)");
                return -EINVAL;
        }
        if (optind + 1 != argc) {
                usage_error(optind >= argc ? "profile convert: missing PERFDATA" :
                            "profile convert: expected one PERFDATA file");
                return -EINVAL;
        }
        ret->perfdata = argv[optind];
        return 1;
}

/* The binary (or --debug-binary) has line tables; PERFDATA can be read
 * (and is perf data). */
static int check_convert_inputs(const struct convert_args *a) {
        int r = 0;

        for (int k = 0; k < 2 && r >= 0; k++) {
                const char *f = k == 0 ? a->binary : a->debug_binary;
                if (!f)
                        continue;
                /* The binary itself is only checked to be ELF when its line
                 * tables come from --debug-binary. */
                r = elf_has_section(f, k == 0 && a->debug_binary ? ".text" : ".debug_line");
                if (r < 0)
                        log_error(r == -EBADMSG ? "%s: not an x86-64 ELF binary" : "cannot read binary %s: %s",
                                  f, strerror(-r));
        }
        if (r < 0)
                return r;
        if (r == 0 && a->debug_binary) {
                log_error("%s has no line tables (.debug_line): not the debug info of %s?", a->debug_binary, a->binary);
                return -ENODATA;
        }
        if (r == 0) {
                log_error("%s has no line tables (.debug_line), so samples cannot be mapped to source "
                          "lines; build it with -gline-tables-only -fdebug-info-for-profiling, or, for a "
                          "stripped binary, name its separate debug info with --debug-binary FILE", a->binary);
                return -ENODATA;
        }
        if (!a->perfscript)
                return check_perf_data(a->perfdata);
        if (access(a->perfdata, R_OK) < 0) {
                r = -errno;
                log_error("cannot read perf script %s: %s", a->perfdata, strerror(-r));
                return r;
        }
        return 0;
}

/* The converter: *want (--tool) if given, else llvm-profgen, else
 * create_llvm_prof; *want is set to the one found. NULL after saying
 * what is missing. */
static char *find_converter(const char **want) {
        char *tool = NULL;

        if (!*want || strcmp(*want, "llvm-profgen") == 0)
                tool = find_tool("HWCAPS_LLVM_PROFGEN", profgen_names);
        if (!tool && (!*want || strcmp(*want, "create_llvm_prof") == 0)) {
                tool = find_tool("HWCAPS_CREATE_LLVM_PROF", create_llvm_prof_names);
                *want = tool ? "create_llvm_prof" : *want;
        } else if (tool)
                *want = "llvm-profgen";
        if (!tool)
                log_error("%s not found in PATH (Debian: apt install %s)",
                          *want ? *want : "neither llvm-profgen nor create_llvm_prof",
                          *want && strcmp(*want, "create_llvm_prof") == 0 ? "autofdo" :
                          *want ? "llvm-14" : "llvm-14 or autofdo");
        return tool;
}

/* tool (of kind want) writes the profile of a's binary to tmp in LLVM's
 * text format; a failed or empty run leaves no tmp behind. */
static int run_converter(const char *tool, const char *want, const struct convert_args *a, const char *tmp) {
        _cleanup_argv_ struct argv_buf argv = {};
        _cleanup_free_ char *cmd = NULL;
        struct stat sb;
        int r, st;

        if (strcmp(want, "llvm-profgen") == 0)
                r = argv_add(&argv, tool) ?: argv_addf(&argv, "--binary=%s", a->binary) ?:
                    argv_addf(&argv, a->perfscript ? "--perfscript=%s" : "--perfdata=%s", a->perfdata) ?:
                    argv_add(&argv, "--format=text") ?:
                    argv_addf(&argv, "--output=%s", tmp) ?:
                    (a->debug_binary ? argv_addf(&argv, "--debug-binary=%s", a->debug_binary) : 0);
        else
                r = argv_add(&argv, tool) ?: argv_addf(&argv, "--binary=%s", a->binary) ?:
                    argv_addf(&argv, "--profile=%s", a->perfdata) ?: argv_add(&argv, "--format=text") ?:
                    argv_addf(&argv, "--out=%s", tmp);
        if (r < 0)
                return r;
        cmd = argv_join(argv.v);
        log_notice("running %s", cmd ? cmd : want);
        st = run_logged(argv.v, NULL);
        if (st != 0 || stat(tmp, &sb) < 0 || sb.st_size == 0) {
                if (st > 0)
                        log_error("%s failed (exit status %d) on %s and %s", want, st, a->perfdata, a->binary);
                else if (st == 0 && strcmp(want, "create_llvm_prof") == 0 && dwarf_version(a->binary) >= 5)
                        /* autofdo 0.19 cannot read DWARF 5 and says nothing. */
                        log_error("create_llvm_prof wrote an empty profile: %s has DWARF %d debug info "
                                  "(clang 14's and gcc 12's default), which create_llvm_prof cannot read; "
                                  "rebuild it with -gdwarf-4, or convert with llvm-profgen "
                                  "(--tool llvm-profgen; Debian: apt install llvm-14)",
                                  a->binary, dwarf_version(a->binary));
                else if (st == 0)
                        log_error("%s wrote no profile: no samples of %s in %s?", want, a->binary, a->perfdata);
                (void) unlink(tmp);
                return -EIO;
        }
        return 0;
}

static int convert(const struct convert_args *a) {
        _cleanup_free_ char *out_default = NULL, *tool = NULL, *profdata = NULL, *tmp = NULL;
        const char *output = a->output, *want = a->tool;
        int r;

        if (!output) {
                const char *base = strrchr(a->binary, '/');
                if (asprintf(&out_default, "%s.afdo", base ? base + 1 : a->binary) < 0)
                        return EXIT_FAIL;
                output = out_default;
        }
        if (check_convert_inputs(a) < 0)
                return EXIT_FAIL;
        tool = find_converter(&want);
        if (!tool)
                return EXIT_FAIL;
        profdata = find_profdata();
        if (!profdata)
                return EXIT_FAIL;

        /* Both tools write LLVM's text format, which every LLVM version reads;
         * llvm-profdata then writes the requested format. */
        if (asprintf(&tmp, "%s.tmp-text", output) < 0)
                return EXIT_FAIL;
        if (run_converter(tool, want, a, tmp) < 0)
                return EXIT_FAIL;
        r = reencode(profdata, tmp, output, a->text);
        (void) unlink(tmp);
        if (r < 0)
                return EXIT_FAIL;
        log_notice("wrote %s", output);
        return EXIT_OK;
}

static int profile_convert(int argc, char **argv) {
        struct convert_args args;
        int r = parse_argv_convert(argc, argv, &args);

        return r > 0 ? convert(&args) : options_exit_status(r);
}

static int check_inputs(char *const *files, int n) {
        for (int i = 0; i < n; i++)
                if (access(files[i], R_OK) < 0) {
                        log_error("cannot read profile %s: %s", files[i], strerror(errno));
                        return -errno;
                }
        return 0;
}

static const char merge_help[] =
        "Usage: hwcaps profile merge -o OUT [--text] PROFILE...\n"
        "Add up sample profiles (any format llvm-profdata reads) into one\n"
        "extbinary profile, or LLVM's text format with --text.\n";

struct merge_args {
        const char *output;
        bool text;
        char **inputs;      /* PROFILE... */
        int n_inputs;
};

static int parse_argv_merge(int argc, char **argv, struct merge_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "output", required_argument, NULL, 'o' },
                { "text", no_argument, NULL, 'T' },
                {}
        };
        struct options o = {
                .name = "profile merge", .help = merge_help, .shortopts = ":ho:", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct merge_args) {};
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'o':
                        ret->output = optarg;
                        break;
                case 'T':
                        ret->text = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (!ret->output) {
                usage_error("profile merge: missing -o OUT");
                return -EINVAL;
        }
        if (optind >= argc) {
                usage_error("profile merge: no input profiles");
                return -EINVAL;
        }
        ret->inputs = argv + optind;
        ret->n_inputs = argc - optind;
        return 1;
}

static int merge(const struct merge_args *a) {
        _cleanup_free_ char *profdata = NULL;
        _cleanup_argv_ struct argv_buf argv = {};
        int r;

        if (check_inputs(a->inputs, a->n_inputs) < 0)
                return EXIT_FAIL;
        profdata = find_profdata();
        if (!profdata)
                return EXIT_FAIL;
        r = argv_add(&argv, profdata) ?: argv_add(&argv, "merge") ?: argv_add(&argv, "--sample") ?:
            argv_add(&argv, a->text ? "--text" : "--extbinary") ?: argv_add(&argv, "-o") ?: argv_add(&argv, a->output);
        for (int i = 0; r >= 0 && i < a->n_inputs; i++)
                r = argv_add(&argv, a->inputs[i]);
        if (r < 0)
                return EXIT_FAIL;
        int st = run_logged(argv.v, NULL);
        if (st != 0) {
                if (st > 0)
                        log_error("llvm-profdata merge failed (exit status %d)", st);
                return EXIT_FAIL;
        }
        log_notice("wrote %s", a->output);
        return EXIT_OK;
}

static int profile_merge(int argc, char **argv) {
        struct merge_args args;
        int r = parse_argv_merge(argc, argv, &args);

        return r > 0 ? merge(&args) : options_exit_status(r);
}

static const char show_help[] =
        "Usage: hwcaps profile show [-n N] [--json] PROFILE\n"
        "Print the N functions (default 10; 0 for all) with the most samples,\n"
        "counting what was inlined into them, with their share and entry samples.\n";

struct show_args {
        size_t top;         /* 0: all */
        bool json;
        char *path;
};

static int parse_argv_show(int argc, char **argv, struct show_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "top", required_argument, NULL, 'n' },
                { "json", no_argument, NULL, 'j' },
                {}
        };
        struct options o = {
                .name = "profile show", .help = show_help, .shortopts = ":hn:", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct show_args) { .top = 10 };
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'n': {
                        unsigned long v;

                        if (options_unsigned(optarg, 0, ULONG_MAX, &v) < 0) {
                                usage_error("profile show: invalid count '%s'", optarg);
                                return -EINVAL;
                        }
                        ret->top = v;
                        break;
                }
                case 'j':
                        ret->json = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (optind + 1 != argc) {
                usage_error("profile show: expected one PROFILE");
                return -EINVAL;
        }
        ret->path = argv[optind];
        return 1;
}

/* The profile's functions, most samples first, by way of llvm-profdata's
 * text format: its stable, documented output ('show --sample' is meant for
 * people and changes between versions). */
static int read_profile(const char *profdata, const char *path, struct sample_func **fn, size_t *n, uint64_t *sum) {
        char *argv[] = { (char *) profdata, (char *) "merge", (char *) "--sample", (char *) "--text",
                         (char *) "-o", (char *) "-", (char *) path, NULL };
        _cleanup_free_ char *text = NULL;
        size_t bad = 0;
        int r;

        r = run_logged(argv, &text);
        if (r != 0) {
                if (r > 0)
                        log_error("llvm-profdata cannot read %s as a sample profile (exit status %d)", path, r);
                return -EIO;
        }
        r = sampleprof_parse_text(text, fn, n, sum, &bad);
        if (r == -EBADMSG)
                log_error("%s: unexpected line %zu in llvm-profdata's text output", path, bad);
        else if (r < 0)
                log_error("out of memory");
        return r;
}

static void print_show_json(const char *path, const struct sample_func *fn, size_t n, size_t shown, uint64_t sum) {
        json_begin(stdout, "profile show", false);
        json_name(stdout, "path", path, false);
        printf(",\"functions\":%zu,\"total_samples\":%" PRIu64 ",\"top\":[", n, sum);
        for (size_t i = 0; i < shown; i++) {
                printf("%s{", i ? "," : "");
                json_name(stdout, "name", fn[i].name, false);
                printf(",\"samples\":%" PRIu64 ",\"head_samples\":%" PRIu64 ",\"share\":%.6f}",
                       fn[i].total, fn[i].head, sum ? (double) fn[i].total / (double) sum : 0.0);
        }
        printf("]}\n");
}

static void print_show_table(const char *path, const struct sample_func *fn, size_t n, size_t shown, uint64_t sum) {
        _cleanup_free_ char *b_path = NULL;

        printf("%s: %zu functions, %" PRIu64 " samples\n", escape_name(path, &b_path), n, sum);
        if (shown)
                printf("%5s %14s %7s %12s  %s\n", "rank", "samples", "share", "head", "function");
        for (size_t i = 0; i < shown; i++) {
                _cleanup_free_ char *b_name = NULL;

                printf("%5zu %14" PRIu64 " %6.1f%% %12" PRIu64 "  %s\n", i + 1, fn[i].total,
                       sum ? 100.0 * (double) fn[i].total / (double) sum : 0.0, fn[i].head,
                       escape_name(fn[i].name, &b_name));
        }
}

static int show(const struct show_args *a) {
        _cleanup_free_ char *profdata = NULL;
        struct sample_func *fn = NULL;
        size_t n = 0, shown;
        uint64_t sum = 0;

        if (check_inputs(&a->path, 1) < 0)
                return EXIT_FAIL;
        profdata = find_profdata();
        if (!profdata)
                return EXIT_FAIL;
        if (read_profile(profdata, a->path, &fn, &n, &sum) < 0)
                return EXIT_FAIL;
        shown = a->top == 0 || a->top > n ? n : a->top;
        if (a->json)
                print_show_json(a->path, fn, n, shown, sum);
        else
                print_show_table(a->path, fn, n, shown, sum);
        sampleprof_free(fn, n);
        return EXIT_OK;
}

static int profile_show(int argc, char **argv) {
        struct show_args args;
        int r = parse_argv_show(argc, argv, &args);

        return r > 0 ? show(&args) : options_exit_status(r);
}

static const char coverage_help[] =
        "Usage: hwcaps profile coverage [--min N] [-n N] [--json] LOG\n"
        "Read a build log of clang with -fprofile-sample-use=PROFILE and\n"
        "-mllvm -sample-profile-check-sample-coverage=101 (as %hwcaps_sample_use_flags\n"
        "gives it) and print the share of the profile's samples that applied, and\n"
        "the N functions (default 5) that lost the most. Function names are read\n"
        "from the source files the log names, relative to the current directory.\n"
        "  --min N    fail (exit status 1) when under N percent applied\n";

struct coverage_args {
        unsigned min;       /* 0: no gate */
        size_t top;
        bool json;
        char *path;
};

static int parse_argv_coverage(int argc, char **argv, struct coverage_args *ret) {
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "min", required_argument, NULL, 'm' },
                { "top", required_argument, NULL, 'n' },
                { "json", no_argument, NULL, 'j' },
                {}
        };
        struct options o = {
                .name = "profile coverage", .help = coverage_help, .shortopts = ":hn:", .longopts = options,
                .argc = argc, .argv = argv,
        };
        int c;

        *ret = (struct coverage_args) { .top = 5 };
        while ((c = options_next(&o)) > 0)
                switch (c) {
                case 'm':
                case 'n': {
                        unsigned long v;

                        if (options_unsigned(optarg, 0, c == 'm' ? 100 : ULONG_MAX, &v) < 0) {
                                usage_error(c == 'm' ? "profile coverage: invalid --min '%s' (expected a percentage, 0 to 100)"
                                                     : "profile coverage: invalid count '%s'", optarg);
                                return -EINVAL;
                        }
                        if (c == 'm')
                                ret->min = (unsigned) v;
                        else
                                ret->top = v;
                        break;
                }
                case 'j':
                        ret->json = true;
                        break;
                }
        if (c != OPTIONS_END)
                return c;
        if (optind + 1 != argc) {
                usage_error("profile coverage: expected one LOG");
                return -EINVAL;
        }
        ret->path = argv[optind];
        return 1;
}

/* The function starting at FILE:LINE, from the source; NULL if unknown. */
static char *function_at(const char *file, unsigned line) {
        _cleanup_fclose_ FILE *f = fopen(file, "re");
        _cleanup_free_ char *buf = NULL;
        size_t sz = 0;

        if (!f)
                return NULL;
        for (unsigned i = 1; getline(&buf, &sz, f) >= 0; i++)
                if (i == line)
                        return sampleprof_function_on_line(buf);
        return NULL;
}

/* The profile named by the first -fprofile-sample-use= in the log. */
static char *profile_in_log(const char *log) {
        static const char opt[] = "-fprofile-sample-use=";
        const char *p = strstr(log, opt);

        if (!p)
                return NULL;
        p += sizeof opt - 1;
        return strndup(p, strcspn(p, " \t\r\n\"'"));
}

static int coverage(const struct coverage_args *a) {
        _cleanup_free_ char *log = NULL, *profile = NULL, *b_profile = NULL;
        struct sample_coverage *c = NULL;
        uint64_t applied = 0, available = 0;
        size_t n = 0, shown;
        double share;
        int r;

        size_t log_size;

        r = hwcaps_read_file(NULL, a->path, (size_t) 1 << 30, &log, &log_size);
        if (r < 0) {
                _cleanup_free_ char *b = NULL;
                log_error("cannot read %s: %s", escape_name(a->path, &b), strerror(-r));
                return EXIT_FAIL;
        }
        if (sampleprof_parse_coverage(log, &c, &n) < 0) {
                log_error("out of memory");
                return EXIT_FAIL;
        }
        if (n == 0) {
                _cleanup_free_ char *b = NULL;
                log_error("%s has no \"available profile samples\" report of clang "
                          "(was it built with -mllvm -sample-profile-check-sample-coverage=101?)",
                          escape_name(a->path, &b));
                return EXIT_FAIL;
        }
        for (size_t i = 0; i < n; i++) {
                applied += c[i].applied;
                available += c[i].available;
        }
        share = available ? 100.0 * (double) applied / (double) available : 100.0;
        profile = profile_in_log(log);
        const char *pname = profile ? escape_name(profile, &b_profile) : "(unknown)";
        shown = a->top > n ? n : a->top;
        char **names = calloc(shown + 1, sizeof(char *));
        if (!names) {
                sampleprof_coverage_free(c, n);
                log_error("out of memory");
                return EXIT_FAIL;
        }
        for (size_t i = 0; i < shown; i++)
                names[i] = function_at(c[i].file, c[i].line);

        if (a->json) {
                json_begin(stdout, "profile coverage", false);
                json_name(stdout, "path", a->path, false);
                printf(",");
                if (profile)
                        json_name(stdout, "profile", profile, false);
                else
                        printf("\"profile\":null");
                printf(",\"functions\":%zu,\"applied_samples\":%" PRIu64 ",\"available_samples\":%" PRIu64
                       ",\"share\":%.6f,\"min_share\":%.6f,\"pass\":%s,\"lost_most\":[",
                       n, applied, available, share / 100.0, a->min / 100.0, json_bool(share >= a->min));
                for (size_t i = 0; i < shown; i++) {
                        printf("%s{", i ? "," : "");
                        if (names[i])
                                json_name(stdout, "name", names[i], false);
                        else
                                printf("\"name\":null");
                        printf(",");
                        json_name(stdout, "file", c[i].file, false);
                        printf(",\"line\":%u,\"applied_samples\":%" PRIu64 ",\"available_samples\":%" PRIu64 "}",
                               c[i].line, c[i].applied, c[i].available);
                }
                printf("]}\n");
        } else {
                printf("profile %s: %.1f%% of its samples applied (%" PRIu64 " of %" PRIu64 ", %zu functions)\n",
                       pname, share, applied, available, n);
                for (size_t i = 0; i < shown; i++) {
                        _cleanup_free_ char *b_name = NULL, *b_file = NULL;
                        printf("  lost %" PRIu64 " of %" PRIu64 " samples: %s (%s:%u)\n",
                               c[i].available - c[i].applied, c[i].available,
                               names[i] ? escape_name(names[i], &b_name) : "?", escape_name(c[i].file, &b_file), c[i].line);
                }
        }
        if (share < a->min) {
                /* One line that names the profile, the share and the
                 * functions that lost the most, for a build log. */
                char *msg = NULL;
                size_t msz = 0;
                FILE *m = open_memstream(&msg, &msz);
                if (m) {
                        for (size_t i = 0; i < shown && c[i].applied < c[i].available; i++) {
                                _cleanup_free_ char *b_name = NULL, *b_file = NULL;
                                fprintf(m, "%s%s (%s:%u, %" PRIu64 " of %" PRIu64 " samples lost)", i ? ", " : "",
                                        names[i] ? escape_name(names[i], &b_name) : "?", escape_name(c[i].file, &b_file),
                                        c[i].line, c[i].available - c[i].applied, c[i].available);
                        }
                        fclose(m);
                }
                log_error("profile %s: %.1f%% of its samples applied, below the minimum of %u%%; lost the most: %s",
                          pname, share, a->min, msg ? msg : "?");
                free(msg);
        }
        for (size_t i = 0; i < shown; i++)
                free(names[i]);
        free(names);
        sampleprof_coverage_free(c, n);
        return share < a->min ? EXIT_FAIL : EXIT_OK;
}

static int profile_coverage(int argc, char **argv) {
        struct coverage_args args;
        int r = parse_argv_coverage(argc, argv, &args);

        return r > 0 ? coverage(&args) : options_exit_status(r);
}

int cmd_profile(int argc, char **argv) {
        static const struct {
                const char *name;
                int (*run)(int argc, char **argv);
        } sub[] = {
                { "check", profile_check },
                { "record", profile_record },
                { "convert", profile_convert },
                { "merge", profile_merge },
                { "show", profile_show },
                { "coverage", profile_coverage },
        };

        if (argc < 2) {
                fputs(profile_help, stderr);
                return EXIT_USAGE;
        }
        if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
                fputs(profile_help, stdout);
                return EXIT_OK;
        }
        for (size_t i = 0; i < ELEMENTSOF(sub); i++)
                if (strcmp(argv[1], sub[i].name) == 0) {
                        static char command[32];

                        snprintf(command, sizeof command, "profile %s", sub[i].name);
                        usage_command = command;
                        return sub[i].run(argc - 1, argv + 1);
                }
        usage_error("profile: unknown command '%s' (expected check, record, convert, merge, show or coverage)", argv[1]);
        return EXIT_USAGE;
}
