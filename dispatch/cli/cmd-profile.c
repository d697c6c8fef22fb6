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
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "commands.h"
#include "json.h"
#include "macro.h"
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
        "          [--perfscript] PERFDATA\n"
        "                                       perf.data + binary -> sample profile (default OUT: BIN.afdo)\n"
        "  merge -o OUT [--text] PROFILE...     several sample profiles -> one (llvm-profdata merge --sample)\n"
        "  show [-n N] [--json] PROFILE         the N functions with the most samples (default 10)\n"
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

static int profile_check(int argc, char **argv) {
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                { "json", no_argument, NULL, 'j' },
                {}
        };
        _cleanup_argv_ struct argv_buf rec = {};
        _cleanup_free_ char *cmdline = NULL, *profgen = NULL, *clp = NULL, *profdata = NULL;
        struct perf_facts f;
        struct perf_report r;
        bool json = false;
        int c;

        while ((c = getopt_long(argc, argv, "h", opts, NULL)) >= 0)
                switch (c) {
                case 'h':
                        fputs("Usage: hwcaps profile check [--json]\n"
                              "Say whether this machine can record AutoFDO profiles (branch-stack\n"
                              "sampling) and why, and print the perf record command 'record' uses.\n"
                              "Exit status 0 when it can, 1 when it cannot.\n", stdout);
                        return EXIT_OK;
                case 'j':
                        json = true;
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (optind < argc) {
                usage_error("profile check: unexpected argument '%s'", argv[optind]);
                return EXIT_USAGE;
        }

        perf_check_gather(hwcaps_root(NULL), &f);
        perf_check_verdict(&f, &r);
        if (perf_record_argv(&f, "perf.data", PERF_AUTOFDO_PERIOD, NULL, &rec) >= 0)
                cmdline = argv_join(rec.v);
        profgen = find_tool("HWCAPS_LLVM_PROFGEN", profgen_names);
        clp = find_tool("HWCAPS_CREATE_LLVM_PROF", create_llvm_prof_names);
        profdata = find_tool("HWCAPS_LLVM_PROFDATA", profdata_names);

        if (json) {
                printf("{\"supported\":%s,\"verdict\":\"%s\",\"reason\":", json_bool(r.verdict == PERF_OK),
                       verdict_id(r.verdict));
                json_string(stdout, r.reason);
                printf(",\"hint\":");
                json_string(stdout, r.hint);
                printf(",\"vendor\":");
                json_string(stdout, f.vendor_id);
                printf(",\"family\":%u,\"virtual_machine\":%s,\"pmu\":", f.family, json_bool(f.hypervisor));
                if (f.pmu[0])
                        json_string(stdout, f.pmu);
                else
                        fputs("null", stdout);
                if (f.paranoid > -100)
                        printf(",\"perf_event_paranoid\":%d", f.paranoid);
                else
                        printf(",\"perf_event_paranoid\":null");
                printf(",\"counting_errno\":%d,\"branch_stack_errno\":%d,\"perf_found\":%s",
                       f.count_errno, f.branch_errno, json_bool(f.perf_found));
                printf(",\"record_command\":");
                if (cmdline)
                        json_string(stdout, cmdline);
                else
                        fputs("null", stdout);
                printf(",\"llvm_profgen\":");
                profgen ? json_string(stdout, profgen) : (void) fputs("null", stdout);
                printf(",\"create_llvm_prof\":");
                clp ? json_string(stdout, clp) : (void) fputs("null", stdout);
                printf(",\"llvm_profdata\":");
                profdata ? json_string(stdout, profdata) : (void) fputs("null", stdout);
                printf("}\n");
        } else {
                printf("AutoFDO recording: %s\n",
                       r.verdict == PERF_OK ? "supported" : "not supported on this machine");
                printf("  why:     %s\n", r.reason);
                if (r.hint[0])
                        printf("  what to do: %s\n", r.hint);
                printf("CPU:       %s family %xh%s\n", f.vendor_id, f.family,
                       f.hypervisor ? ", virtual machine (CPUID hypervisor bit)" : "");
                printf("PMU:       %s\n", f.pmu[0] ? f.pmu : "none (no /sys/bus/event_source/devices/cpu)");
                printf("branch records: %s\n",
                       f.flag_arch_lbr ? "arch_lbr" : f.flag_amd_lbr_v2 ? "amd_lbr_v2" :
                       f.flag_brs ? "brs" : f.vendor == PERF_VENDOR_INTEL ? "model-specific LBR (no cpuinfo flag)" :
                       "none in /proc/cpuinfo");
                if (f.paranoid > -100)
                        printf("kernel.perf_event_paranoid: %d%s\n", f.paranoid,
                               f.privileged ? " (this process is privileged)" : "");
                printf("perf_event_open: counting cycles: %s; taken branches with branch stack: %s\n",
                       f.count_errno ? strerror(f.count_errno) : "ok",
                       f.branch_errno ? strerror(f.branch_errno) : "ok");
                printf("perf:      %s\n", f.perf_found ? (f.perf_libpfm ? "found (with libpfm4)" : "found") :
                                                      "not found (Debian: linux-perf)");
                if (cmdline)
                        printf("record command: %s\n", cmdline);
                printf("convert:   llvm-profgen %s, create_llvm_prof %s\n",
                       profgen ? profgen : "not found", clp ? clp : "not found");
        }
        return r.verdict == PERF_OK ? EXIT_OK : EXIT_FAIL;
}

static int parse_period(const char *s, unsigned *ret) {
        char *e;
        errno = 0;
        unsigned long v = strtoul(s, &e, 10);
        /* BRS needs a fixed period above its 16-entry depth (Linux brs.c). */
        if (errno || e == s || *e || v <= 16 || v > 0xffffffffUL)
                return -EINVAL;
        *ret = (unsigned) v;
        return 0;
}

static int profile_record(int argc, char **argv) {
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                { "output", required_argument, NULL, 'o' },
                { "period", required_argument, NULL, 'c' },
                {}
        };
        _cleanup_argv_ struct argv_buf a = {};
        _cleanup_free_ char *cmdline = NULL, *perf = NULL;
        const char *output = "perf.data";
        unsigned period = PERF_AUTOFDO_PERIOD;
        struct perf_facts f;
        struct perf_report r;
        int c;

        /* '+': stop at the first non-option, the COMMAND. */
        while ((c = getopt_long(argc, argv, "+ho:c:", opts, NULL)) >= 0)
                switch (c) {
                case 'h':
                        fputs("Usage: hwcaps profile record [-o FILE] [-c PERIOD] -- COMMAND [ARGS...]\n"
                              "Run COMMAND under 'perf record -b' with the CPU vendor's taken-branch\n"
                              "event, sampling every PERIOD events (default 500009). Checks first\n"
                              "that the machine can record ('hwcaps profile check') and runs nothing\n"
                              "when it cannot. Default FILE: perf.data.\n", stdout);
                        return EXIT_OK;
                case 'o':
                        output = optarg;
                        break;
                case 'c':
                        if (parse_period(optarg, &period) < 0) {
                                usage_error("profile record: invalid period '%s' (expected an integer above 16)", optarg);
                                return EXIT_USAGE;
                        }
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (optind >= argc) {
                usage_error("profile record: missing COMMAND (hwcaps profile record -- COMMAND [ARGS...])");
                return EXIT_USAGE;
        }

        /* Cheap checks first: COMMAND may run for hours. */
        perf_check_gather(hwcaps_root(NULL), &f);
        perf_check_verdict(&f, &r);
        if (r.verdict != PERF_OK) {
                log_error("cannot record an AutoFDO profile on this machine: %s", r.reason);
                if (r.hint[0])
                        fprintf(stderr, "%s: %s\n", program_name, r.hint);
                fprintf(stderr, "%s: nothing was run; see 'hwcaps profile check'\n", program_name);
                return EXIT_FAIL;
        }
        perf = find_tool("HWCAPS_PERF", perf_names);
        if (!perf) {
                log_error("perf not found in PATH (Debian: apt install linux-perf)");
                return EXIT_FAIL;
        }
        if (perf_record_argv(&f, output, period, argv + optind, &a) < 0) {
                log_error("out of memory");
                return EXIT_FAIL;
        }
        free(a.v[0]);
        a.v[0] = strdup(perf);
        if (!a.v[0])
                return EXIT_FAIL;
        cmdline = argv_join(a.v);
        fprintf(stderr, "%s: running %s\n", program_name, cmdline ? cmdline : "perf record");
        int st = run_logged(a.v, NULL);
        if (st < 0)
                return EXIT_FAIL;
        if (st != 0) {
                log_error("perf record exited with status %d", st);
                return EXIT_FAIL;
        }
        fprintf(stderr, "%s: wrote %s; next: hwcaps profile convert --binary BINARY %s\n",
                program_name, output, output);
        return EXIT_OK;
}

/* Read exactly n bytes at off; 0 or -errno (-EBADMSG when short). */
static int pread_full(int fd, void *buf, size_t n, off_t off) {
        ssize_t k = pread(fd, buf, n, off);
        if (k < 0)
                return negative_errno();
        return (size_t) k == n ? 0 : -EBADMSG;
}

/* Does the ELF64 file have a section called name? 1 yes, 0 no, -EBADMSG
 * not an ELF64 file, -errno I/O. AutoFDO maps samples to source lines,
 * so a binary without .debug_line yields an empty profile. */
static int elf_has_section(const char *path, const char *name) {
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
                if (sh[i].sh_name < s->sh_size && strcmp(strtab + sh[i].sh_name, name) == 0)
                        return 1;
        return 0;
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

static int profile_convert(int argc, char **argv) {
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                { "binary", required_argument, NULL, 'b' },
                { "output", required_argument, NULL, 'o' },
                { "tool", required_argument, NULL, 't' },
                { "text", no_argument, NULL, 'T' },
                { "perfscript", no_argument, NULL, 'S' },
                {}
        };
        _cleanup_free_ char *out_default = NULL, *tool = NULL, *profdata = NULL, *tmp = NULL, *cmd = NULL;
        _cleanup_argv_ struct argv_buf a = {};
        const char *binary = NULL, *output = NULL, *want = NULL;
        bool text = false, perfscript = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "hb:o:", opts, NULL)) >= 0)
                switch (c) {
                case 'h':
                        fputs("Usage: hwcaps profile convert --binary BINARY [-o OUT] [--tool TOOL] [--text] PERFDATA\n"
                              "Turn perf.data recorded with branch stacks and the exact binary that ran\n"
                              "(built with -g or -gline-tables-only) into a sample profile for clang's\n"
                              "-fprofile-sample-use=: extbinary format, or LLVM's text format with --text.\n"
                              "TOOL: llvm-profgen (default when installed) or create_llvm_prof (autofdo).\n"
                              "--perfscript: PERFDATA is the text of 'perf script -F ip,brstack\n"
                              "--show-mmap-events' instead (llvm-profgen only), e.g. from a machine\n"
                              "whose perf.data this perf cannot read.\n"
                              "Default OUT: BINARY.afdo in the current directory.\n", stdout);
                        return EXIT_OK;
                case 'b':
                        binary = optarg;
                        break;
                case 'o':
                        output = optarg;
                        break;
                case 't':
                        if (strcmp(optarg, "llvm-profgen") != 0 && strcmp(optarg, "create_llvm_prof") != 0) {
                                usage_error("profile convert: unknown tool '%s' (expected llvm-profgen or create_llvm_prof)", optarg);
                                return EXIT_USAGE;
                        }
                        want = optarg;
                        break;
                case 'T':
                        text = true;
                        break;
                case 'S':
                        perfscript = true;
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (perfscript && want && strcmp(want, "llvm-profgen") != 0) {
                usage_error("profile convert: --perfscript needs --tool llvm-profgen (create_llvm_prof reads only perf.data)");
                return EXIT_USAGE;
        }
        if (perfscript)
                want = "llvm-profgen";
        if (!binary) {
                usage_error("profile convert: missing --binary BINARY (the program perf recorded)");
                return EXIT_USAGE;
        }
        if (optind + 1 != argc) {
                usage_error(optind >= argc ? "profile convert: missing PERFDATA" :
                            "profile convert: expected one PERFDATA file");
                return EXIT_USAGE;
        }
        const char *perfdata = argv[optind];
        if (!output) {
                const char *base = strrchr(binary, '/');
                if (asprintf(&out_default, "%s.afdo", base ? base + 1 : binary) < 0)
                        return EXIT_FAIL;
                output = out_default;
        }

        r = elf_has_section(binary, ".debug_line");
        if (r < 0) {
                log_error(r == -EBADMSG ? "%s: not an x86-64 ELF binary" : "cannot read binary %s: %s",
                          binary, strerror(-r));
                return EXIT_FAIL;
        }
        if (r == 0) {
                log_error("%s has no line tables (.debug_line), so samples cannot be mapped to source "
                          "lines; build it with -gline-tables-only -fdebug-info-for-profiling", binary);
                return EXIT_FAIL;
        }
        if (perfscript) {
                if (access(perfdata, R_OK) < 0) {
                        log_error("cannot read perf script %s: %s", perfdata, strerror(errno));
                        return EXIT_FAIL;
                }
        } else if (check_perf_data(perfdata) < 0)
                return EXIT_FAIL;

        if (!want || strcmp(want, "llvm-profgen") == 0)
                tool = find_tool("HWCAPS_LLVM_PROFGEN", profgen_names);
        if (!tool && (!want || strcmp(want, "create_llvm_prof") == 0)) {
                tool = find_tool("HWCAPS_CREATE_LLVM_PROF", create_llvm_prof_names);
                want = tool ? "create_llvm_prof" : want;
        } else if (tool)
                want = "llvm-profgen";
        if (!tool) {
                log_error("%s not found in PATH (Debian: apt install %s)",
                          want ? want : "neither llvm-profgen nor create_llvm_prof",
                          want && strcmp(want, "create_llvm_prof") == 0 ? "autofdo" :
                          want ? "llvm-14" : "llvm-14 or autofdo");
                return EXIT_FAIL;
        }
        profdata = find_profdata();
        if (!profdata)
                return EXIT_FAIL;

        /* Both tools write LLVM's text format, which every LLVM version reads;
         * llvm-profdata then writes the requested format. */
        if (asprintf(&tmp, "%s.tmp-text", output) < 0)
                return EXIT_FAIL;
        if (strcmp(want, "llvm-profgen") == 0)
                r = argv_add(&a, tool) ?: argv_addf(&a, "--binary=%s", binary) ?:
                    argv_addf(&a, perfscript ? "--perfscript=%s" : "--perfdata=%s", perfdata) ?:
                    argv_add(&a, "--format=text") ?:
                    argv_addf(&a, "--output=%s", tmp);
        else
                r = argv_add(&a, tool) ?: argv_addf(&a, "--binary=%s", binary) ?:
                    argv_addf(&a, "--profile=%s", perfdata) ?: argv_add(&a, "--format=text") ?:
                    argv_addf(&a, "--out=%s", tmp);
        if (r < 0)
                return EXIT_FAIL;
        cmd = argv_join(a.v);
        fprintf(stderr, "%s: running %s\n", program_name, cmd ? cmd : want);
        int st = run_logged(a.v, NULL);
        struct stat sb;
        if (st != 0 || stat(tmp, &sb) < 0 || sb.st_size == 0) {
                if (st > 0)
                        log_error("%s failed (exit status %d) on %s and %s", want, st, perfdata, binary);
                else if (st == 0)
                        log_error("%s wrote no profile: no samples of %s in %s?", want, binary, perfdata);
                (void) unlink(tmp);
                return EXIT_FAIL;
        }
        r = reencode(profdata, tmp, output, text);
        (void) unlink(tmp);
        if (r < 0)
                return EXIT_FAIL;
        fprintf(stderr, "%s: wrote %s\n", program_name, output);
        return EXIT_OK;
}

static int check_inputs(char **files, int n) {
        for (int i = 0; i < n; i++)
                if (access(files[i], R_OK) < 0) {
                        log_error("cannot read profile %s: %s", files[i], strerror(errno));
                        return -errno;
                }
        return 0;
}

static int profile_merge(int argc, char **argv) {
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                { "output", required_argument, NULL, 'o' },
                { "text", no_argument, NULL, 'T' },
                {}
        };
        _cleanup_free_ char *profdata = NULL;
        _cleanup_argv_ struct argv_buf a = {};
        const char *output = NULL;
        bool text = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) >= 0)
                switch (c) {
                case 'h':
                        fputs("Usage: hwcaps profile merge -o OUT [--text] PROFILE...\n"
                              "Add up sample profiles (any format llvm-profdata reads) into one\n"
                              "extbinary profile, or LLVM's text format with --text.\n", stdout);
                        return EXIT_OK;
                case 'o':
                        output = optarg;
                        break;
                case 'T':
                        text = true;
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (!output) {
                usage_error("profile merge: missing -o OUT");
                return EXIT_USAGE;
        }
        if (optind >= argc) {
                usage_error("profile merge: no input profiles");
                return EXIT_USAGE;
        }
        if (check_inputs(argv + optind, argc - optind) < 0)
                return EXIT_FAIL;
        profdata = find_profdata();
        if (!profdata)
                return EXIT_FAIL;
        r = argv_add(&a, profdata) ?: argv_add(&a, "merge") ?: argv_add(&a, "--sample") ?:
            argv_add(&a, text ? "--text" : "--extbinary") ?: argv_add(&a, "-o") ?: argv_add(&a, output);
        for (int i = optind; r >= 0 && i < argc; i++)
                r = argv_add(&a, argv[i]);
        if (r < 0)
                return EXIT_FAIL;
        int st = run_logged(a.v, NULL);
        if (st != 0) {
                if (st > 0)
                        log_error("llvm-profdata merge failed (exit status %d)", st);
                return EXIT_FAIL;
        }
        fprintf(stderr, "%s: wrote %s\n", program_name, output);
        return EXIT_OK;
}

static int profile_show(int argc, char **argv) {
        static const struct option opts[] = {
                { "help", no_argument, NULL, 'h' },
                { "top", required_argument, NULL, 'n' },
                { "json", no_argument, NULL, 'j' },
                {}
        };
        _cleanup_free_ char *profdata = NULL, *text = NULL;
        struct sample_func *fn = NULL;
        size_t n = 0, top = 10, bad = 0;
        uint64_t sum = 0;
        bool json = false;
        int c, r;

        while ((c = getopt_long(argc, argv, "hn:", opts, NULL)) >= 0)
                switch (c) {
                case 'h':
                        fputs("Usage: hwcaps profile show [-n N] [--json] PROFILE\n"
                              "Print the N functions (default 10; 0 for all) with the most samples,\n"
                              "counting what was inlined into them, with their share and entry samples.\n",
                              stdout);
                        return EXIT_OK;
                case 'n': {
                        char *e;
                        errno = 0;
                        unsigned long v = strtoul(optarg, &e, 10);
                        if (errno || e == optarg || *e || optarg[0] == '-') {
                                usage_error("profile show: invalid count '%s'", optarg);
                                return EXIT_USAGE;
                        }
                        top = v;
                        break;
                }
                case 'j':
                        json = true;
                        break;
                default:
                        return EXIT_USAGE;
                }
        if (optind + 1 != argc) {
                usage_error("profile show: expected one PROFILE");
                return EXIT_USAGE;
        }
        const char *path = argv[optind];
        if (check_inputs(argv + optind, 1) < 0)
                return EXIT_FAIL;
        profdata = find_profdata();
        if (!profdata)
                return EXIT_FAIL;

        /* The text format is llvm-profdata's stable, documented output;
         * 'show --sample' is meant for people and changes between versions. */
        char *a[] = { profdata, (char *) "merge", (char *) "--sample", (char *) "--text",
                      (char *) "-o", (char *) "-", (char *) path, NULL };
        r = run_logged(a, &text);
        if (r != 0) {
                if (r > 0)
                        log_error("llvm-profdata cannot read %s as a sample profile (exit status %d)", path, r);
                return EXIT_FAIL;
        }
        r = sampleprof_parse_text(text, &fn, &n, &sum, &bad);
        if (r < 0) {
                if (r == -EBADMSG)
                        log_error("%s: unexpected line %zu in llvm-profdata's text output", path, bad);
                else
                        log_error("out of memory");
                return EXIT_FAIL;
        }
        size_t shown = top == 0 || top > n ? n : top;
        if (json) {
                printf("{\"profile\":");
                json_string(stdout, path);
                printf(",\"functions\":%zu,\"total_samples\":%" PRIu64 ",\"top\":[", n, sum);
                for (size_t i = 0; i < shown; i++) {
                        printf("%s{\"name\":", i ? "," : "");
                        json_string(stdout, fn[i].name);
                        printf(",\"samples\":%" PRIu64 ",\"head_samples\":%" PRIu64 ",\"share\":%.6f}",
                               fn[i].total, fn[i].head, sum ? (double) fn[i].total / (double) sum : 0.0);
                }
                printf("]}\n");
        } else {
                printf("%s: %zu functions, %" PRIu64 " samples\n", path, n, sum);
                if (shown)
                        printf("%5s %14s %7s %12s  %s\n", "rank", "samples", "share", "head", "function");
                for (size_t i = 0; i < shown; i++)
                        printf("%5zu %14" PRIu64 " %6.1f%% %12" PRIu64 "  %s\n", i + 1, fn[i].total,
                               sum ? 100.0 * (double) fn[i].total / (double) sum : 0.0, fn[i].head, fn[i].name);
        }
        sampleprof_free(fn, n);
        return EXIT_OK;
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
                if (strcmp(argv[1], sub[i].name) == 0)
                        return sub[i].run(argc - 1, argv + 1);
        usage_error("profile: unknown command '%s' (expected check, record, convert, merge or show)", argv[1]);
        return EXIT_USAGE;
}
