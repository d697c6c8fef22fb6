# SPDX-License-Identifier: MIT
# bash completion for hwcaps(1); zsh runs it too (completion/_hwcaps).
#
# Nothing here names a subcommand or an option: they are read, when TAB is
# pressed, from "hwcaps --help" and "hwcaps CMD [SUBCMD] --help" of the
# hwcaps being completed, so the completion cannot fall behind the binary
# (a generated list would be stale for any other hwcaps in PATH, and
# generating it means running the built binary, which a cross build
# cannot). An option's argument is completed by its name in the help:
# LEVEL, L and LIST (comma-separated) -> level names (from "hwcaps explain
# --json"), FILE, PATH ... -> files, DIR -> directories, UNIT -> systemd
# units, PID -> process IDs, a|b -> those words.

# The help of the hwcaps named by $1, for the words after it.
_hwcaps_help() {
        local bin=$1
        shift
        "$bin" "$@" --help 2>/dev/null
}

# The command names of a help's "Commands:" section, one a line.
_hwcaps_help_commands() {
        awk '/^Commands:/ { f = 1; next } f && /^$/ { exit } f && $1 ~ /^[a-z][a-z-]*$/ { print $1 }'
}

# "OPTION ARG" lines of a help (ARG "-" when the option takes none): every
# option of the Usage lines, and those an option line starts with
# ("  -n, --rounds N   ..."); options named in the prose are not offered.
_hwcaps_help_options() {
        sed 's/\[/ [ /g; s/\]/ ] /g; s/,/ /g' | awk '
                function isarg(w) {
                        return w ~ /^[A-Z][A-Z_]*$/ || w ~ /^[a-z0-9_-]+(\|[a-z0-9_-]+)+$/
                }
                function isopt(w) {
                        return w ~ /^--?[a-zA-Z][a-zA-Z0-9-]*[.:;]?$/ || w ~ /^--?[a-zA-Z][^ ]*\|/
                }
                /^Commands:/ { commands = 1 }
                commands && /^$/ { commands = 0 }
                commands { next }
                {
                        usage = $0 ~ /^(Usage:| +hwcaps )/
                        for (i = 1; i <= NF; i++) {
                                if (!isopt($i)) {
                                        if (usage)
                                                continue
                                        break
                                }
                                if ($i ~ /\|/) {
                                        n = split($i, alt, "|")
                                        for (k = 1; k <= n; k++)
                                                if (alt[k] ~ /^--?[a-zA-Z]/)
                                                        print alt[k], "-"
                                        continue
                                }
                                if ($i ~ /[.:;]$/) {
                                        print substr($i, 1, length($i) - 1), "-"
                                        if (usage)
                                                continue
                                        break
                                }
                                if (i < NF && isarg($(i + 1))) {
                                        print $i, $(i + 1)
                                        i++
                                } else
                                        print $i, "-"
                        }
                }' | awk '!seen[$1]++'
}

# The metavariables of the operands in a help's first Usage line.
_hwcaps_help_operands() {
        awk 'NR == 1 { gsub(/[][.]/, " "); for (i = 3; i <= NF; i++) if ($i ~ /^[A-Z][A-Z_]*$/ && $(i - 1) !~ /^-/) print $i; exit }'
}

# Completions of cur for an argument named metavar (of option opt).
_hwcaps_complete_arg() {
        local bin=$1 metavar=$2 opt=$3 cur=$4 prefix=""
        case $metavar in
        L|LEVEL|LIST) ;;
        *) case $opt in *level*|--at-least) metavar=LEVEL ;; esac ;;
        esac
        case $metavar in
        L|LEVEL|LIST)
                # LIST is comma-separated: complete its last element.
                [ "$metavar" = LIST ] && case $cur in *,*) prefix=${cur%,*},; cur=${cur##*,} ;; esac
                local l
                for l in $("$bin" explain --json 2>/dev/null | grep -o '"level":"x86-64-v[0-9]*"' | cut -d'"' -f4); do
                        case $l in "$cur"*) COMPREPLY+=("$prefix$l") ;; esac
                done ;;
        DIR) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -d -- "$cur")) ;;
        UNIT) COMPREPLY+=($(compgen -W "$(systemctl list-units --all --plain --no-legend --no-pager 2>/dev/null |
                                         awk '{ print $1 }')" -- "$cur")) ;;
        PID) COMPREPLY+=($(compgen -W "$(cd /proc && ls -d [0-9]* 2>/dev/null)" -- "$cur")) ;;
        NAME|COMMAND|CMD) COMPREPLY+=($(compgen -c -- "$cur")) ;;
        N) ;;
        *\|*) COMPREPLY+=($(compgen -W "${metavar//|/ }" -- "$cur")) ;;
        *) compopt -o filenames 2>/dev/null; COMPREPLY+=($(compgen -f -- "$cur")) ;;
        esac
}

_hwcaps_complete() {
        local bin=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]} prev="" help opts metavar
        local -a cmdpath=()
        local i w sub dashdash=0

        COMPREPLY=()
        [ "$COMP_CWORD" -gt 0 ] && prev=${COMP_WORDS[COMP_CWORD - 1]}
        # The command words so far (hwcaps profile merge -> profile merge).
        help=$(_hwcaps_help "$bin")
        for ((i = 1; i < COMP_CWORD; i++)); do
                w=${COMP_WORDS[i]}
                [ "$w" = -- ] && { dashdash=1; break; }
                case $w in -*) continue ;; esac
                sub=$(printf '%s\n' "$help" | _hwcaps_help_commands)
                printf '%s\n' "$sub" | grep -qxF -- "$w" || continue
                cmdpath+=("$w")
                help=$(_hwcaps_help "$bin" "${cmdpath[@]}")
        done
        if [ "$dashdash" = 1 ]; then
                # bench -- COMMAND [ARGS...], exec -- NAME [ARGS...]
                [ "$prev" = -- ] && COMPREPLY=($(compgen -c -- "$cur")) ||
                        { compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- "$cur")); }
                return 0
        fi
        opts=$(printf '%s\n' "$help" | _hwcaps_help_options)
        # The argument of the option before?
        metavar=$(printf '%s\n' "$opts" | awk -v o="$prev" '$1 == o { print $2 }')
        if [ -n "$metavar" ] && [ "$metavar" != - ]; then
                _hwcaps_complete_arg "$bin" "$metavar" "$prev" "$cur"
                return 0
        fi
        case $cur in
        -*) COMPREPLY=($(compgen -W "$(printf '%s\n' "$opts" | awk '{ print $1 }')" -- "$cur")) ;;
        *)
                sub=$(printf '%s\n' "$help" | _hwcaps_help_commands)
                if [ -n "$sub" ]; then
                        COMPREPLY=($(compgen -W "$sub" -- "$cur"))
                else
                        metavar=$(printf '%s\n' "$help" | _hwcaps_help_operands | head -n 1)
                        [ -n "$metavar" ] && _hwcaps_complete_arg "$bin" "$metavar" "" "$cur"
                fi ;;
        esac
        return 0
}

complete -F _hwcaps_complete hwcaps
