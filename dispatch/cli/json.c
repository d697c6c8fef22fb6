/* SPDX-License-Identifier: MIT */
/* JSON strings: the rule is in json.h and escape.h. */
#include <stdint.h>

#include "decide.h"
#include "escape.h"
#include "json.h"

void json_begin(FILE *f, const char *subcommand, bool pretty) {
        if (pretty)
                fprintf(f, "{\n  \"hwcaps_json\": %d,\n  \"subcommand\": \"%s\",\n", HWCAPS_JSON_VERSION, subcommand);
        else
                fprintf(f, "{\"hwcaps_json\":%d,\"subcommand\":\"%s\",", HWCAPS_JSON_VERSION, subcommand);
}

void json_string(FILE *f, const char *s) {
        uint32_t c;

        fputc('"', f);
        for (size_t n; *s; s += n) {
                n = utf8_decode(s, &c);
                if (!n || c == '\\') {
                        fprintf(f, "\\\\x%02x", (unsigned char) *s);
                        n = 1;
                } else if (c == '"')
                        fputs("\\\"", f);
                /* DEL and C1 too, though JSON allows them raw: the same
                 * string, and a terminal showing the JSON is safe. */
                else if (escape_needed(c))
                        fprintf(f, "\\u%04x", (unsigned) c);
                else
                        fwrite(s, 1, n, f);
        }
        fputc('"', f);
}

void json_level(FILE *f, const char *key, int level, bool spaced) {
        const char *name = hwcaps_level_name((enum hwcaps_level) level);

        fprintf(f, "\"%s\":%s", key, spaced ? " " : "");
        if (name)
                json_string(f, name);
        else
                fputs("null", f);
}

void json_max_level(FILE *f, const char *prefix, const struct hwcaps_decision *d, bool spaced) {
        const char *comma = spaced ? ", " : ",", *colon = spaced ? "\": " : "\":";
        bool none = d->src == HWCAPS_SRC_NONE;
        char key[64];

        snprintf(key, sizeof key, "%smax_level", prefix);
        json_level(f, key, none ? -1 : (int) d->cap, spaced);
        fprintf(f, "%s\"%s_reason%s", comma, key, colon);
        if (none)
                fputs("null", f);
        else
                json_string(f, d->why);
        fprintf(f, "%s\"%s_source%s", comma, key, colon);
        if (none)
                fputs("null", f);
        else
                json_string(f, hwcaps_src_name(d->src));
}

static void json_hex(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++)
                fprintf(f, "%02x", *p);
        fputc('"', f);
}

void json_name(FILE *f, const char *key, const char *s, bool spaced) {
        const char *colon = spaced ? "\": " : "\":";

        fprintf(f, "\"%s%s", key, colon);
        if (!s) {
                fputs("null", f);
                return;
        }
        json_string(f, s);
        if (utf8_valid(s))
                return;
        fprintf(f, ",%s\"%s_bytes%s", spaced ? " " : "", key, colon);
        json_hex(f, s);
}

void json_names(FILE *f, const char *key, char *const *v, bool spaced) {
        const char *comma = spaced ? ", " : ",", *colon = spaced ? "\": " : "\":";
        bool valid = true;

        fprintf(f, "\"%s%s[", key, colon);
        for (size_t i = 0; v && v[i]; i++) {
                if (i)
                        fputs(comma, f);
                json_string(f, v[i]);
                valid = valid && utf8_valid(v[i]);
        }
        fputc(']', f);
        if (valid)
                return;
        fprintf(f, "%s\"%s_bytes%s[", comma, key, colon);
        for (size_t i = 0; v[i]; i++) {
                if (i)
                        fputs(comma, f);
                if (utf8_valid(v[i]))
                        fputs("null", f);
                else
                        json_hex(f, v[i]);
        }
        fputc(']', f);
}
