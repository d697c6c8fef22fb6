/* SPDX-License-Identifier: MIT */
/* The shared decision: precedence and the "why" of each setting. */
#include <criterion/criterion.h>
#include <string.h>

#include "policy.h"

static struct hwcaps_sources sources(const char *cmdline, const char *conf) {
        struct hwcaps_sources s = {};
        hwcaps_config_init(&s.config);
        hwcaps_cmdline_parse(cmdline, strlen(cmdline), &s.cmdline, NULL, NULL);
        cr_assert_eq(hwcaps_config_parse(&s.config, "/etc/hwcaps.conf", conf, strlen(conf), NULL, NULL), 0);
        s.cpu_level = HWCAPS_LEVEL_V4;
        return s;
}

Test(policy, default_is_on_up_to_the_cpu) {
        struct hwcaps_sources s = sources("quiet", "");
        struct hwcaps_policy p;
        hwcaps_policy_decide(&s, NULL, NULL, &p, NULL, NULL);
        cr_assert(p.enabled);
        cr_assert_eq(p.level, HWCAPS_LEVEL_V4);
        cr_assert_eq(p.enabled_why.source, HWCAPS_WHY_DEFAULT);
        cr_assert_null(p.directories);
        s.cpu_level = HWCAPS_LEVEL_V2;
        hwcaps_policy_decide(&s, NULL, NULL, &p, NULL, NULL);
        cr_assert_eq(p.level, HWCAPS_LEVEL_V2);
        hwcaps_sources_done(&s);
}

Test(policy, config_says_why_with_file_and_line) {
        struct hwcaps_sources s = sources("", "# x\n[hwcaps]\nenable=no\nmax-level=x86-64-v2\n");
        struct hwcaps_policy p;
        char buf[256];
        hwcaps_policy_decide(&s, NULL, NULL, &p, NULL, NULL);
        cr_assert(!p.enabled);
        cr_assert_eq(p.level, HWCAPS_LEVEL_V1);
        cr_assert_eq(p.enabled_why.source, HWCAPS_WHY_CONFIG);
        cr_assert_str_eq(hwcaps_why_string(&p.enabled_why, buf, sizeof buf), "/etc/hwcaps.conf:3 (enable=no)");
        cr_assert_eq(p.cap, HWCAPS_LEVEL_V2);
        cr_assert_eq(p.cap_why.line, 4);
        hwcaps_sources_done(&s);
}

Test(policy, cmdline_beats_environment_beats_config) {
        struct hwcaps_sources s = sources("hwcaps.max=x86-64-v3", "enable=no\nmax-level=x86-64-v2\n");
        struct hwcaps_policy p;
        hwcaps_policy_decide(&s, "on", "x86-64-v2", &p, NULL, NULL);
        cr_assert(p.enabled);
        cr_assert_eq(p.enabled_why.source, HWCAPS_WHY_ENVIRONMENT);
        cr_assert_eq(p.cap, HWCAPS_LEVEL_V3);
        cr_assert_eq(p.cap_why.source, HWCAPS_WHY_CMDLINE);
        cr_assert_str_eq(p.cap_why.setting, "hwcaps.max=x86-64-v3");
        hwcaps_sources_done(&s);

        s = sources("hwcaps=on systemd.setenv=HWCAPS=off", "");
        hwcaps_policy_decide(&s, "off", NULL, &p, NULL, NULL);
        cr_assert(p.enabled);
        cr_assert_eq(p.enabled_why.source, HWCAPS_WHY_CMDLINE);
        hwcaps_sources_done(&s);
}

Test(policy, setenv_hwcaps_on_cmdline_counts_when_the_environment_lacks_it) {
        struct hwcaps_sources s = sources("systemd.setenv=HWCAPS=off", "enable=yes\n");
        struct hwcaps_policy p;
        hwcaps_policy_decide(&s, NULL, NULL, &p, NULL, NULL);
        cr_assert(!p.enabled);
        cr_assert_str_eq(p.enabled_why.setting, "systemd.setenv=HWCAPS=off");
        hwcaps_sources_done(&s);
}

Test(policy, bad_environment_value_is_ignored) {
        struct hwcaps_sources s = sources("", "enable=no\n");
        struct hwcaps_policy p;
        hwcaps_policy_decide(&s, "perhaps", "x86-64-v9", &p, NULL, NULL);
        cr_assert(!p.enabled);
        cr_assert_eq(p.enabled_why.source, HWCAPS_WHY_CONFIG);
        cr_assert_eq(p.cap, HWCAPS_LEVEL_MAX);
        /* empty is unset: the file decides */
        hwcaps_policy_decide(&s, "", "", &p, NULL, NULL);
        cr_assert(!p.enabled);
        cr_assert_eq(p.enabled_why.source, HWCAPS_WHY_CONFIG);
        hwcaps_sources_done(&s);
}

Test(policy, setenv_path_keeps_path_byte_for_byte) {
        struct hwcaps_sources s = sources("systemd.setenv=PATH=/x", "");
        struct hwcaps_policy p;
        char *out = NULL;
        hwcaps_policy_decide(&s, NULL, NULL, &p, NULL, NULL);
        cr_assert(p.keep_path);
        cr_assert_eq(hwcaps_policy_path(&p, "/nonexistent", "/usr/bin/glibc-hwcaps/x86-64-v3:/usr/bin:", &out, NULL, NULL), 0);
        cr_assert_str_eq(out, "/usr/bin/glibc-hwcaps/x86-64-v3:/usr/bin:");
        free(out);
        hwcaps_sources_done(&s);
}

Test(policy, disabled_takes_inherited_level_dirs_out) {
        struct hwcaps_sources s = sources("hwcaps=off", "");
        struct hwcaps_policy p;
        char *out = NULL;
        hwcaps_policy_decide(&s, NULL, NULL, &p, NULL, NULL);
        cr_assert_eq(hwcaps_policy_path(&p, "/nonexistent", "/usr/bin/glibc-hwcaps/x86-64-v3:/usr/bin", &out, NULL, NULL), 0);
        cr_assert_str_eq(out, "/usr/bin");
        free(out);
        hwcaps_sources_done(&s);
}
