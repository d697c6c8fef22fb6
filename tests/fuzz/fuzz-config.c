/* SPDX-License-Identifier: MIT */
/* hwcaps.conf parsing (dispatch/policy/conffile.c, through inih's callback layer),
 * which the generator runs at boot. Properties:
 *  - values in range; directories NULL-terminated with n_directories
 *    entries; an origin names the file and an existing line;
 *  - at most WARNINGS_PER_FILE (16) warnings and one "more problems" line;
 *  - deterministic;
 *  - a final "[hwcaps]" section with enable=no and max-level=x86-64-v2
 *    wins over anything before it. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "conffile.h"
#include "fuzz.h"

static unsigned warnings;

static void warn_count(void *userdata, const char *fmt, ...) {
        (void) userdata, (void) fmt;
        warnings++;
}

static size_t count_lines(const char *s, size_t n) {
        size_t lines = 1;

        for (size_t i = 0; i < n; i++)
                lines += s[i] == '\n';
        return lines;
}

static void check_origin(const struct hwcaps_config_origin *o, size_t lines, const char *what) {
        if (!o->file)
                return;
        FUZZ_CHECK(strcmp(o->file, "fuzz.conf") == 0, "%s: origin file %s", what, o->file);
        FUZZ_CHECK(o->line >= 1 && o->line <= lines, "%s: origin line %u of %zu", what, o->line, lines);
        FUZZ_CHECK(memchr(o->setting, '\0', sizeof o->setting), "%s: setting not terminated", what);
}

static void check(const struct hwcaps_config *c, size_t lines) {
        FUZZ_CHECK(c->enabled >= -1 && c->enabled <= 1, "enabled %d", c->enabled);
        FUZZ_CHECK(c->max_level >= 0 && c->max_level <= 4, "max_level %d", c->max_level);
        if (c->directories) {
                for (size_t i = 0; i < c->n_directories; i++)
                        FUZZ_CHECK(c->directories[i] != NULL, "directories[%zu] NULL of %zu", i, c->n_directories);
                FUZZ_CHECK(c->directories[c->n_directories] == NULL, "directories not NULL-terminated");
        } else
                FUZZ_CHECK(c->n_directories == 0, "no list but %zu directories", c->n_directories);
        check_origin(&c->enabled_at, lines, "enable");
        check_origin(&c->max_level_at, lines, "max-level");
        check_origin(&c->directories_at, lines, "directories");
}

static int parse(struct hwcaps_config *c, const char *buf, size_t n) {
        int r;

        hwcaps_config_init(c);
        warnings = 0;
        r = hwcaps_config_parse(c, "fuzz.conf", buf, n, warn_count, NULL);
        FUZZ_CHECK(r == 0 || r == -ENOMEM, "returned %d", r);
        FUZZ_CHECK(warnings <= 17, "%u warnings for one file", warnings);
        return r;
}

static bool same(const struct hwcaps_config *a, const struct hwcaps_config *b) {
        if (a->enabled != b->enabled || a->max_level != b->max_level || a->n_directories != b->n_directories)
                return false;
        for (size_t i = 0; i < a->n_directories; i++)
                if (strcmp(a->directories[i], b->directories[i]) != 0)
                        return false;
        return (a->directories == NULL) == (b->directories == NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        static const char tail[] = "\n[hwcaps]\nenable=no\nmax-level=x86-64-v2\n";
        const char *in = (const char *) data;
        struct hwcaps_config c, c2;
        size_t lines = count_lines(in, size);
        char *s;

        if (size > 65536)
                return 0;
        if (parse(&c, in, size) < 0) {
                hwcaps_config_done(&c);
                return 0;
        }
        check(&c, lines);

        parse(&c2, in, size);
        FUZZ_CHECK(same(&c, &c2), "not deterministic");
        hwcaps_config_done(&c2);

        s = malloc(size + sizeof tail);
        if (!s)
                abort();
        memcpy(s, in, size);
        memcpy(s + size, tail, sizeof tail - 1);
        if (parse(&c2, s, size + sizeof tail - 1) == 0) {
                check(&c2, lines + 3);
                FUZZ_CHECK(c2.enabled == 0 && c2.max_level == 2, "a final [hwcaps] section did not win (%d, %d)",
                           c2.enabled, c2.max_level);
                FUZZ_CHECK(c2.n_directories == c.n_directories, "directories changed");
        }
        free(s);
        hwcaps_config_done(&c2);
        hwcaps_config_done(&c);
        return 0;
}
