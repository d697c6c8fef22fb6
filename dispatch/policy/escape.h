/* SPDX-License-Identifier: MIT */
/* Byte strings from the system (file names, argv, environment values)
 * shown to people. A file name is any bytes but '/' and NUL: it may be
 * invalid UTF-8, or hold an escape sequence that rewrites the terminal.
 *
 * The rule, shared with the JSON writer (json.h): each byte of an invalid
 * UTF-8 sequence, and each backslash, becomes the four characters \xHH
 * (lowercase hex); text output also writes each byte of a control
 * character (C0, DEL, C1 U+0080..U+009F) that way. Everything else, valid
 * printable UTF-8, passes unchanged. Reversible: every backslash shown
 * starts a \xHH that stands for one byte. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Length of the well-formed UTF-8 sequence at s (1 to 4) with its code
 * point in *ret, or 0 if s does not start one: a stray continuation byte,
 * a truncated sequence, an overlong form, a surrogate, above U+10FFFF, or
 * the terminating NUL. Reads no further than a NUL. */
size_t utf8_decode(const char *s, uint32_t *ret);

/* Whether all of s is well-formed UTF-8. */
bool utf8_valid(const char *s);

/* Whether text output shows code point c as \xHH bytes: C0, DEL, C1 and
 * the backslash itself. */
bool escape_needed(uint32_t c);

/* s as text output shows it: s itself when nothing needs escaping, else
 * the escaped copy, stored in *buf for the caller to free (or, out of
 * memory, a constant saying so). Never NULL. */
const char *escape_name(const char *s, char **buf);

/* A value that scripts read from stdout ("hwcaps path", "which --quiet"):
 * s exactly, as escaping would change the value, unless stdout is a
 * terminal, where it is escape_name(s, buf). */
const char *escape_value(const char *s, char **buf);
