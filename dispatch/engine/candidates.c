/* SPDX-License-Identifier: MIT */
#include "layout.h"
#include "candidates.h"

static const char *env_value(const char *entry, const char *key) {
        size_t i = 0;

        for (; key[i]; i++)
                if (entry[i] != key[i])
                        return NULL;
        return entry[i] == '=' ? entry + i + 1 : NULL;
}

void hwcaps_env_scan(char *const *envp, bool secure, struct hwcaps_env *ret) {
        struct hwcaps_env e = { NULL, NULL, NULL, NULL, NULL, 0 };
        const char *v;

        if (envp)
                for (char *const *p = envp; *p; p++) {
                        /* Cheap first-byte filter: this runs on every exec. */
                        if ((*p)[0] != 'H')
                                continue;
                        /* The depth counts even under AT_SECURE: it can
                         * only make the stub stop sooner (a setuid stub
                         * whose variant names it looped forever). Every
                         * entry is found, so that all are replaced. */
                        if ((v = env_value(*p, "HWCAPS_DISPATCH_DEPTH"))) {
                                if (!e.depth)
                                        e.depth = v;
                                e.depth_at = p;
                                e.n_depth++;
                                continue;
                        }
                        if (secure)
                                continue;
                        /* getenv() semantics: the first entry wins. */
                        if (!e.max_level && (v = env_value(*p, "HWCAPS_MAX_LEVEL")))
                                e.max_level = v;
                        else if (!e.hwcaps && (v = env_value(*p, "HWCAPS")))
                                e.hwcaps = v;
                        else if (!e.root && (v = env_value(*p, "HWCAPS_ROOT")))
                                e.root = v;
                }
        *ret = e;
}

void hwcaps_candidates_init(struct hwcaps_candidates *c, const struct hwcaps_trust_root *root,
                            const char *path, const struct hwcaps_stat *self) {
        c->root = root;
        c->path = path;
        c->self = self;
        c->walked = false;
}

enum hwcaps_candidate_verdict hwcaps_candidate_check(struct hwcaps_candidates *c, enum hwcaps_level level,
                                                     const struct hwcaps_trust **ret) {
        const char *name, *lname = hwcaps_level_name(level);
        struct hwcaps_trust *t = &c->t;
        char tail[sizeof "x86-64-vN/" + 256];
        size_t n = 0, slash = 0;

        *ret = t;
        for (size_t i = 0; c->path[i]; i++)
                if (c->path[i] == '/')
                        slash = i + 1;
        name = c->path + slash;
        /* DIR, then glibc-hwcaps in it: walked once for all levels, in
         * place, without composing DIR/glibc-hwcaps anywhere. */
        if (!c->walked) {
                char *dir = (char *) c->path; /* c->path is the caller's buffer or AT_EXECFN */
                char save = dir[slash];

                c->walked = true;
                dir[slash] = '\0';
                (void) hwcaps_trust_walk(c->root, NULL, slash ? dir : ".", HWCAPS_WANT_DIR, t);
                dir[slash] = save;
                if (t->verdict == HWCAPS_TRUST_SAFE)
                        (void) hwcaps_trust_walk(c->root, t->where, HWCAPS_SUBDIR, HWCAPS_WANT_DIR, t);
                c->parent_verdict = t->verdict;
                c->parent_st = t->st;
                for (c->parent_len = 0; t->where[c->parent_len]; c->parent_len++)
                        ;
        } else if (c->parent_verdict == HWCAPS_TRUST_SAFE) {
                /* Back to DIR/glibc-hwcaps for the next level. */
                t->where[c->parent_len] = '\0';
                t->st = c->parent_st;
                t->verdict = HWCAPS_TRUST_SAFE;
        }
        if (c->parent_verdict != HWCAPS_TRUST_SAFE)
                return c->parent_verdict == HWCAPS_TRUST_MISSING ? HWCAPS_CANDIDATE_MISSING : HWCAPS_CANDIDATE_UNSAFE;
        /* "x86-64-vN/NAME" below it: NAME is one component (NAME_MAX). */
        if (!lname)
                return HWCAPS_CANDIDATE_TOO_LONG;
        for (size_t i = 0; lname[i]; i++)
                tail[n++] = lname[i];
        tail[n++] = '/';
        for (size_t i = 0; name[i]; i++) {
                if (n + 1 >= sizeof tail)
                        return HWCAPS_CANDIDATE_TOO_LONG;
                tail[n++] = name[i];
        }
        tail[n] = '\0';
        (void) hwcaps_trust_walk(c->root, t->where, tail, HWCAPS_WANT_FILE, t);
        /* A level directory that is a symbolic link took the walk above
         * DIR/glibc-hwcaps: walk that again for the next level. */
        if (t->kept < c->parent_len)
                c->walked = false;
        switch (t->verdict) {
        case HWCAPS_TRUST_SAFE:
                break;
        case HWCAPS_TRUST_MISSING:
                return HWCAPS_CANDIDATE_MISSING;
        default:
                return t->reason == HWCAPS_UNSAFE_TOO_LONG ? HWCAPS_CANDIDATE_TOO_LONG : HWCAPS_CANDIDATE_UNSAFE;
        }
        if (c->self && c->self->dev == t->st.dev && c->self->ino == t->st.ino)
                return HWCAPS_CANDIDATE_SELF;
        return HWCAPS_CANDIDATE_OK;
}
