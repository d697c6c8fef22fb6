/* SPDX-License-Identifier: MIT */
/* Minimal JSON output: just string escaping; callers write the structure. */
#pragma once

#include <stdio.h>

static inline void json_string(FILE *f, const char *s) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                else if (*p < 0x20)
                        fprintf(f, "\\u%04x", *p);
                else
                        fputc(*p, f);
        }
        fputc('"', f);
}

static inline const char *json_bool(int b) {
        return b ? "true" : "false";
}
