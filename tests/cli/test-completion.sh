#!/bin/bash
# bash and zsh completion (completion/): every subcommand, and every option
# of every command's --help, is offered; level names, files, directories
# for options' arguments. Usage: test-completion.sh HWCAPS SRCDIR BUILDDIR
set -u
HWCAPS=$(realpath "$1") SRC=$2 BUILD=$3
. "$(dirname "$0")/lib.sh"
. "$SRC/completion/hwcaps.bash"

# comp WORD...: COMPREPLY for the last word, as bash's TAB would.
comp() {
        COMP_WORDS=("$HWCAPS" "$@"); COMP_CWORD=$#
        _hwcaps_complete
        printf '%s\n' "${COMPREPLY[@]}"
}
has() { # has NAME WANT LIST
        printf '%s\n' "$3" | grep -qxF -- "$2" && ok "$1" || bad "$1: '$2' not in [$(echo $3)]"
}

# What the helps name, read here on their own: command lines of a
# "Commands:" section, options of Usage lines and of lines an option starts.
commands_of() { "$HWCAPS" "$@" --help | awk '/^Commands:/ {f=1; next} f && /^$/ {exit} f && $1 ~ /^[a-z]+$/ {print $1}'; }
options_of() {
        "$HWCAPS" "$@" --help | grep -E '^(Usage:| +hwcaps | +-)' |
                grep -oE '(^|[][ |,])--?[a-zA-Z][a-zA-Z0-9-]*' | sed 's/^[][ |,]//' | sort -u
}

top=$(commands_of)
[ "$(echo $top | wc -w)" -ge 10 ] || bad "hwcaps --help lists too few commands: $top"
got=$(comp "")
for c in $top; do has "offers command $c" "$c" "$got"; done
for c in $top; do
        cmds=("$c")
        subs=$(commands_of "$c")
        for s in "" $subs; do
                [ -n "$s" ] && cmds=("$c" "$s") || cmds=("$c")
                got=$(comp "${cmds[@]}" -)
                for o in $(options_of "${cmds[@]}"); do
                        has "${cmds[*]}: offers $o" "$o" "$got"
                done
        done
        [ -n "$subs" ] && for s in $subs; do has "$c: offers $s" "$s" "$(comp "$c" "")"; done
done
# Arguments: levels (one or a comma list), words of a|b, files, directories.
got=$(comp bench --levels x86-64-v)
for l in 1 2 3 4; do has "--levels offers x86-64-v$l" "x86-64-v$l" "$got"; done
has "--levels completes a list's last element" "x86-64-v2,x86-64-v3" "$(comp bench --levels x86-64-v2,x86-64-v3)"
has "--source offers cpuid" cpuid "$(comp level --source "")"
has "--cpuid completes files" "$SRC/tests/data/cpuid/amd-epyc-zen4.raw" "$(comp explain --cpuid "$SRC/tests/data/cpuid/amd-epyc-zen4.r")"
has "--root completes directories" "$SRC/tests" "$(comp which --root "$SRC/test")"
got=$(comp which --root "$SRC/README")
[ -z "$got" ] && ok "--root offers no files" || bad "--root offers files: $got"
has "which NAME completes commands" sh "$(comp which sh)"
# An option a help names with LEVEL, UNIT or PID gets those (a stand-in
# hwcaps whose help says so: the scheme reads it, nothing is hard-coded).
stand=$(mktemp -d); trap 'rm -rf "$stand"' EXIT
cat > "$stand/hwcaps" <<EOS
#!/bin/sh
case "\$1 \$2" in
"--help "*) printf 'Commands:\n  which  x\n\n' ;;
"which --help") printf 'Usage: hwcaps which [--max-level LEVEL] [--unit UNIT] [--pid PID] NAME\n' ;;
*) exec "$HWCAPS" "\$@" ;;
esac
EOS
chmod +x "$stand/hwcaps"
COMP_WORDS=("$stand/hwcaps" which --max-level x86-64-v); COMP_CWORD=3; _hwcaps_complete
has "LEVEL: level names" x86-64-v3 "$(printf '%s\n' "${COMPREPLY[@]}")"
COMP_WORDS=("$stand/hwcaps" which --pid "$$"); COMP_CWORD=3; _hwcaps_complete
has "PID: process IDs" "$$" "$(printf '%s\n' "${COMPREPLY[@]}")"
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
        COMP_WORDS=("$stand/hwcaps" which --unit ""); COMP_CWORD=3; _hwcaps_complete
        has "UNIT: units" "-.mount" "$(printf '%s\n' "${COMPREPLY[@]}")"
fi

# zsh: the installed-style _hwcaps loads with compinit and, called as a TAB
# would, offers the same (compadd stands in for the completion widget).
if command -v zsh >/dev/null; then
        got=$(HWCAPS_BASH_COMPLETION="$SRC/completion/hwcaps.bash" zsh -f -c '
                fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D
                [[ $_comps[hwcaps] == _hwcaps ]] || { print "not registered: $_comps[hwcaps]"; exit 1 }
                compadd() { reply+=("${@[${@[(i)-]}+1,-1]}") }
                typeset -a reply words; words=("$2" "$3" "$4"); CURRENT=$5
                _hwcaps; print -l -- $reply' zsh "$BUILD/completion" "$HWCAPS" "" "" 2)
        for c in $top; do has "zsh offers command $c" "$c" "$got"; done
        got=$(HWCAPS_BASH_COMPLETION="$SRC/completion/hwcaps.bash" zsh -f -c '
                fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -D
                compadd() { reply+=("${@[${@[(i)-]}+1,-1]}") }
                typeset -a reply words; words=("$2" "$3" "$4"); CURRENT=$5
                _hwcaps; print -l -- $reply' zsh "$BUILD/completion" "$HWCAPS" which - 3)
        for o in $(options_of which); do has "zsh: which offers $o" "$o" "$got"; done
else
        echo "SKIP zsh: not installed"
fi
finish
