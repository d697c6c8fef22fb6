/* SPDX-License-Identifier: MIT */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "perf-check.h"

static struct perf_facts intel_ok(void) {
        return (struct perf_facts) {
                .vendor = PERF_VENDOR_INTEL, .vendor_id = "GenuineIntel", .family = 6,
                .paranoid = 2, .pmu = "cpu", .perf_found = true,
        };
}

static struct perf_report verdict(const struct perf_facts *f) {
        struct perf_report r;
        perf_check_verdict(f, &r);
        return r;
}

Test(perf_verdict, branch_stack_open_succeeding_is_supported) {
        struct perf_facts f = intel_ok();
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_OK);
        cr_expect(strstr(r.reason, "Intel LBR"));
}

Test(perf_verdict, vm_without_pmu_says_no_hardware_counters) {
        struct perf_facts f = {
                .vendor = PERF_VENDOR_AMD, .vendor_id = "AuthenticAMD", .family = 0x1a,
                .hypervisor = true, .paranoid = 2, .count_errno = ENOENT, .branch_errno = ENOENT,
                .perf_found = true,
        };
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_NO_PMU);
        cr_expect(strstr(r.reason, "no hardware performance counters"));
        cr_expect(strstr(r.reason, "virtual machine"));
        cr_expect(strstr(r.reason, "ENOENT"));
        cr_expect(strstr(r.hint, "profile convert"));
}

Test(perf_verdict, pmu_listed_but_counters_failing_does_not_claim_it_missing) {
        struct perf_facts f = intel_ok();
        f.count_errno = ENODEV;
        f.branch_errno = ENODEV;
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_NO_PMU);
        cr_expect(strstr(r.reason, "lists PMU \"cpu\""));
        cr_expect_null(strstr(r.reason, "missing"));
}

Test(perf_verdict, paranoid_3_denies_with_the_level_named) {
        struct perf_facts f = intel_ok();
        f.paranoid = 3;
        f.branch_errno = EACCES;
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_DENIED);
        cr_expect(strstr(r.reason, "perf_event_paranoid is 3"));
        cr_expect(strstr(r.hint, "CAP_PERFMON"));
}

Test(perf_verdict, intel_in_vm_without_lbr_has_no_branch_stack) {
        struct perf_facts f = intel_ok();
        f.hypervisor = true;
        f.branch_errno = EOPNOTSUPP;
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_NO_BRANCH_STACK);
        cr_expect(strstr(r.reason, "LBR"));
}

Test(perf_verdict, amd_zen2_has_no_branch_sampling) {
        struct perf_facts f = {
                .vendor = PERF_VENDOR_AMD, .vendor_id = "AuthenticAMD", .family = 0x17,
                .paranoid = 2, .pmu = "cpu", .branch_errno = EOPNOTSUPP, .perf_found = true,
        };
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_NO_BRANCH_STACK);
        cr_expect(strstr(r.reason, "family 17h"));
        cr_expect(strstr(r.reason, "Zen 3"));
}

Test(perf_verdict, amd_zen3_without_brs_flag_names_the_kernel_option) {
        struct perf_facts f = {
                .vendor = PERF_VENDOR_AMD, .vendor_id = "AuthenticAMD", .family = 0x19,
                .paranoid = 2, .pmu = "cpu", .branch_errno = EOPNOTSUPP, .perf_found = true,
        };
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_NO_BRANCH_STACK);
        cr_expect(strstr(r.reason, "CONFIG_PERF_EVENTS_AMD_BRS"));
        cr_expect(strstr(r.reason, "amd_lbr_v2"));
}

Test(perf_verdict, amd_zen4_with_lbr_v2_is_supported) {
        struct perf_facts f = {
                .vendor = PERF_VENDOR_AMD, .vendor_id = "AuthenticAMD", .family = 0x19,
                .paranoid = 2, .pmu = "cpu", .flag_amd_lbr_v2 = true, .perf_found = true,
        };
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_OK);
        cr_expect(strstr(r.reason, "LbrExtV2"));
}

Test(perf_verdict, kernel_able_but_perf_missing_is_not_supported) {
        struct perf_facts f = intel_ok();
        f.perf_found = false;
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_NO_TOOL);
        cr_expect(strstr(r.hint, "linux-perf"));
}

Test(perf_verdict, unknown_vendor_is_named) {
        struct perf_facts f = { .vendor = PERF_VENDOR_OTHER, .vendor_id = "CentaurHauls", .perf_found = true };
        struct perf_report r = verdict(&f);
        cr_expect_eq(r.verdict, PERF_UNKNOWN_VENDOR);
        cr_expect(strstr(r.reason, "CentaurHauls"));
}

static char *joined(const struct perf_facts *f, char *const *cmd) {
        struct argv_buf a = {};
        cr_assert_eq(perf_record_argv(f, "out.data", PERF_AUTOFDO_PERIOD, cmd, &a), 0);
        char *s = argv_join(a.v);
        argv_free(&a);
        return s;
}

Test(perf_record, intel_uses_near_taken_branches_user_only_period_500009) {
        struct perf_facts f = intel_ok();
        char *cmd[] = { (char *) "zstd", (char *) "-19", (char *) "a file", NULL };
        char *s = joined(&f, cmd);
        cr_expect_str_eq(s, "perf record -e BR_INST_RETIRED.NEAR_TAKEN:u -b -c 500009 -o out.data -- zstd -19 'a file'");
        free(s);
}

Test(perf_record, amd_without_libpfm_uses_the_raw_encoding_of_retired_taken_branches) {
        struct perf_facts f = { .vendor = PERF_VENDOR_AMD };
        char *s = joined(&f, NULL);
        cr_expect_str_eq(s, "perf record -e cpu/event=0xc4,name=RETIRED_TAKEN_BRANCH_INSTRUCTIONS/u -b -c 500009 -o out.data -- COMMAND");
        free(s);
}

Test(perf_record, amd_with_libpfm_uses_the_pfm_event_name) {
        struct perf_facts f = { .vendor = PERF_VENDOR_AMD, .perf_libpfm = true };
        char *s = joined(&f, NULL);
        cr_expect_str_eq(s, "perf record --pfm-event RETIRED_TAKEN_BRANCH_INSTRUCTIONS:u -b -c 500009 -o out.data -- COMMAND");
        free(s);
}

Test(perf_record, unknown_vendor_has_no_command) {
        struct perf_facts f = { .vendor = PERF_VENDOR_OTHER };
        struct argv_buf a = {};
        cr_expect_eq(perf_record_argv(&f, "x", PERF_AUTOFDO_PERIOD, NULL, &a), -EOPNOTSUPP);
        argv_free(&a);
}
