/* SPDX-License-Identifier: MIT */
/* Which package owns a file, by the package databases under a root: rpm's
 * (librpm, opened on first use) and dpkg's (the real dpkg-query, which
 * reads its database with diversions the way dpkg does). Used by "hwcaps
 * status --packages", "hwcaps check --owners" and "hwcaps list". */
#pragma once

#include <stdbool.h>
#include <stdio.h>

enum pkg_manager {
        PKG_MANAGER_NONE,
        PKG_MANAGER_RPM,
        PKG_MANAGER_DPKG,
};

/* "rpm", "dpkg"; NULL for none. */
const char *pkg_manager_name(enum pkg_manager m);

struct pkg_owner {
        char *package;   /* rpm: NEVRA; dpkg: the package as dpkg-query names it
                          * ("foo", "libfoo1:amd64"; "a, b" when several ship it);
                          * NULL when no package owns the file */
        char *version;   /* rpm: EVR; dpkg: Version (of the first); NULL unless asked */
        enum pkg_manager manager;
};

void pkg_owner_done(struct pkg_owner *o);

/* The owner as text output shows it: escaped, "-" for none, and with both
 * databases followed by " [rpm]" or " [dpkg]". *buf is for the caller to
 * free. */
const char *pkg_owner_shown(const struct pkg_owner *o, bool both, char **buf);

/* The package databases found under a root. */
struct pkg_dbs;

/* Opens the databases of root (absolute; "/" for this system): rpm's when
 * librpm loads and its %{_dbpath} is there, dpkg's when its status file
 * (ROOT/var/lib/dpkg/status) is. Returns 0, or -errno after logging why
 * neither can be read; unless required, having neither is no error: 0 and
 * *ret NULL, which pkg_owners() takes as owning nothing. */
int pkg_dbs_open(const char *root, bool required, struct pkg_dbs **ret);
void pkg_dbs_free(struct pkg_dbs *d);
static inline void pkg_dbs_freep(struct pkg_dbs **d) {
        pkg_dbs_free(*d);
}

/* Whether both databases are open: then output says which manager owns
 * what. */
bool pkg_dbs_both(const struct pkg_dbs *d);

/* The owners of paths[0..n) (each inside the root) into ret[0..n),
 * with versions when versions is set. dpkg is asked once for all of them.
 * On merged /usr (ROOT/bin the same directory as ROOT/usr/bin) a path is
 * also asked under its other name: dpkg knows a file by the name its
 * package ships. Where both databases own a file, rpm's answer is given.
 * Returns 0, or -errno after logging why (dpkg-query failed). */
int pkg_owners(struct pkg_dbs *d, const char *const *paths, size_t n, bool versions, struct pkg_owner *ret);

/* For every program or library in a level directory (x86-64-v2..v4) of
 * systemd's default PATH directories (searchpath.h) and /usr/libexec,
 * /usr/lib64, /usr/lib under root, the owning package of the variant and
 * of its baseline (DIR/NAME, or DIR/glibc-hwcaps/x86-64-v1/NAME for a
 * dispatched program), one row per variant, and its state: "ok", "stale"
 * (variant and baseline packages differ in version, rpm's
 * epoch:version-release or dpkg's Version, or come from different package
 * managers), "missing-baseline" or "unowned"
 * (no package owns the variant). Table for people (with both databases,
 * each package followed by [rpm] or [dpkg]), or JSON:
 *   {"root":R,"variants":[{"path","level","package","package_manager",
 *    "baseline","baseline_package","state"}...]}   (absent values are null)
 * Returns the number of variants whose state is not "ok", or -errno after
 * logging the error (no package database under root, out of memory). */
int hwcaps_pkg_report(const char *root, FILE *out, bool json);
