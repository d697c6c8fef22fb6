/* SPDX-License-Identifier: MIT */
/* Minimal JSON output: strings and names; callers write the structure.
 * Every string written is valid UTF-8 JSON by escape.h's rule: each byte
 * of an invalid UTF-8 sequence and each backslash becomes the text \xHH
 * (in JSON "\\xHH"). A name from the system (path, argv, environment)
 * that was not valid UTF-8 also gets a field NAME_bytes beside it with
 * its exact bytes in lowercase hex. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

/* The version of the one JSON schema every --json output follows
 * (hwcaps(1), JSON OUTPUT). Raised when a field changes meaning or goes;
 * adding a field does not raise it. */
#define HWCAPS_JSON_VERSION 1

/* Opens a --json output: {"hwcaps_json":VERSION,"subcommand":"NAME", and
 * the comma, so the caller's first field follows; pretty puts each on its
 * own line indented by two spaces (the caller's fields do the same). */
void json_begin(FILE *f, const char *subcommand, bool pretty);

void json_string(FILE *f, const char *s);

/* "key":"x86-64-vN", or "key":null for a value that names no level (the
 * CPU lacks the baseline); spaced as json_name(). */
void json_level(FILE *f, const char *key, int level, bool spaced);

/* The cap of a decision (decide.h) as the schema names it, each key with
 * prefix before it ("" or "manager_"): "max_level" (the level, null when
 * nothing caps), "max_level_reason" (the setting and where it is, null
 * when nothing caps) and "max_level_source" (hwcaps_src_name(), null when
 * nothing caps), separated by commas; spaced as json_name(). */
struct hwcaps_decision;
void json_max_level(FILE *f, const char *prefix, const struct hwcaps_decision *d, bool spaced);

/* "key":"s" and, when s is not valid UTF-8, ,"key_bytes":"HEX"; with
 * spaced, "key": "s", "key_bytes": "HEX". "key":null for NULL. */
void json_name(FILE *f, const char *key, const char *s, bool spaced);

/* "key":["v0",...] for a NULL-terminated array (argv; NULL for none) and,
 * when one is not valid UTF-8, ,"key_bytes":[...] with null for each that
 * is; spaced as json_name(). */
void json_names(FILE *f, const char *key, char *const *v, bool spaced);

static inline const char *json_bool(int b) {
        return b ? "true" : "false";
}
