#!/bin/sh
# Boot one hwcaps end-to-end case on real systemd in a TCG qemu VM and check
# it from the host. Output is TAP (meson: protocol 'tap'); assertions that
# need a part not yet on main (generator, login-shell snippet, CLI) are marked
# "# TODO" when that part is missing from the image, so they show as expected
# failures rather than passes.
#
# usage: run-case.sh [--source DIR] [--build DIR] CASE
#   CASE: see case_setup below, or "list".
# Environment:
#   HWCAPS_VM_CACHE    image cache (default /var/cache/hwcaps/vm)
#   HWCAPS_VM_TIMEOUT  seconds before qemu is killed (default 480)
#   HWCAPS_VM_QEMU     the qemu binary (default qemu-system-x86_64)
#   HWCAPS_VM_LOGDIR   where console.log/check.log of the case are kept
#   HWCAPS_VM_UNDER_MESON=1  report "skip" as TAP and exit 0 (meson treats a
#                      non-zero exit of a TAP test as an error)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=
while [ $# -gt 1 ]; do
	case $1 in
	--source) src=$2; shift 2 ;;
	--build) build=$2; shift 2 ;;
	*) break ;;
	esac
done
[ $# -eq 1 ] || { echo "usage: $0 [--source DIR] [--build DIR] CASE" >&2; exit 2; }
name=$1
cache=${HWCAPS_VM_CACHE:-/var/cache/hwcaps/vm}
timeout_s=${HWCAPS_VM_TIMEOUT:-480}
qemu=${HWCAPS_VM_QEMU:-qemu-system-x86_64}

skip() {
	if [ "${HWCAPS_VM_UNDER_MESON:-}" = 1 ]; then
		echo "SKIP: $*" >&2
		echo "1..0 # SKIP $*"
		exit 0
	fi
	echo "SKIP: $*"
	exit 77
}

# Systemd's compiled-in PATH for Debian 12 and what Debian's /etc/profile
# sets for login shells (root and other users).
DEFAULT_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LOGIN_PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games
ROOT_LOGIN_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
V3="x86-64-v3 x86-64-v2"

# Per case: cpu = qemu -cpu; append = extra kernel command line; ldso = the
# levels ld.so must report for that CPU model; levels = the level directories
# expected before /usr/bin; conf = /etc/hwcaps.conf; dirs = install level
# directories at image build (no: the reload case creates them at run time).
# The dispatched program /usr/bin/hwcaps-vm-disp (installed with the level
# directories): stub_level = the variant it must run by its absolute path
# (default: the highest of levels, or x86-64-v1); policy_cap, policy_keep,
# policy_why = what /run/hwcaps/policy must say in cap=, keep-path= and (a
# part of) why=.
case_setup() {
	cpu=Haswell append= ldso=$V3 levels=$V3 conf= dirs=yes reload= refresh= debtrigger= setenv_path= dropins= only_usr_bin= readme=
	stub_level= policy_cap=none policy_keep=no policy_why=
	case $1 in
	qemu64) cpu=qemu64 ldso= levels= ;;
	nehalem) cpu=Nehalem ldso=x86-64-v2 levels=x86-64-v2 ;;
	haswell) ;;
	haswell-noavx2) cpu=Haswell,-avx2 ldso=x86-64-v2 levels=x86-64-v2 ;;
	# Everything TCG emulates: up to x86-64-v3, no AVX-512 (qemu 7.2).
	max) cpu=max ;;
	cmdline-off) append=hwcaps=off levels= policy_cap=x86-64-v1 policy_why="hwcaps=off (kernel command line)" ;;
	cmdline-max-v2) append=hwcaps.max=x86-64-v2 levels=x86-64-v2 policy_cap=x86-64-v2 policy_why="kernel command line" ;;
	# systemd.setenv=PATH= keeps PATH whole; it is no opt-out for the stub.
	setenv-path) append=systemd.setenv=PATH=/usr/bin:/bin levels= setenv_path=/usr/bin:/bin stub_level=x86-64-v3 policy_keep=yes ;;
	setenv-hwcaps-off) append=systemd.setenv=HWCAPS=off levels= policy_cap=x86-64-v1 policy_why="kernel command line" ;;
	conf-max-v2) conf=$(printf '[hwcaps]\nmax-level=x86-64-v2\n') levels=x86-64-v2 policy_cap=x86-64-v2 policy_why=/etc/hwcaps.conf ;;
	# Drop-ins: the vendor's enable=no is masked by the admin's file of the
	# same name in /etc, and directories=/usr/bin keeps /bin without levels.
	conf-dropins) dropins=yes only_usr_bin=yes policy_cap=x86-64-v3 policy_why=/etc/hwcaps.conf.d/50-site.conf ;;
	# The dispatched program in a service without /proc/cmdline
	# (ProcSubset=pid): only /run/hwcaps/policy tells it hwcaps=off.
	procsubset-off) append=hwcaps=off levels= policy_cap=x86-64-v1 policy_why="hwcaps=off (kernel command line)" ;;
	# systemd.setenv=HWCAPS_MAX_LEVEL= reaches services as a variable, and
	# login shells (which inherit nothing from the manager) by the policy.
	setenv-maxlevel-login) append=systemd.setenv=HWCAPS_MAX_LEVEL=x86-64-v2 levels=x86-64-v2 policy_cap=x86-64-v2 \
		policy_why="systemd.setenv=HWCAPS_MAX_LEVEL=x86-64-v2 (kernel command line)" ;;
	# hwcaps.conf caps what a service's ExecStart= (an absolute path, so the
	# stub) runs, and what hwcaps which and status say.
	conf-cap-execstart) conf=$(printf '[hwcaps]\nmax-level=x86-64-v2\n') levels=x86-64-v2 policy_cap=x86-64-v2 policy_why=/etc/hwcaps.conf ;;
	daemon-reload) dirs=no reload=yes levels= ;;
	refresh) dirs=no refresh=yes levels= ;;
	# No level directories at boot; in the guest, dpkg -i of a package
	# with the first one (x86-64-v3/) fires hwcaps' dpkg file trigger.
	deb-trigger) dirs=no debtrigger=yes levels= ;;
	# README.md's walk-through as written (readme-steps.sh): hwcaps is not
	# in the image; the guest installs it with apt on the running system.
	readme) dirs=no readme=yes levels= ;;
	*) return 1 ;;
	esac
}
all_cases="qemu64 nehalem haswell haswell-noavx2 max cmdline-off cmdline-max-v2 setenv-path setenv-hwcaps-off conf-max-v2 conf-dropins daemon-reload refresh deb-trigger procsubset-off setenv-maxlevel-login conf-cap-execstart readme"
if [ "$name" = list ]; then
	echo "$all_cases"
	exit 0
fi
case_setup "$name" || { echo "run-case: unknown case \"$name\" (known: $all_cases)" >&2; exit 2; }

[ "$(id -u)" -eq 0 ] || skip "the VM tests need root (loop mount of the image)"
command -v "$qemu" >/dev/null 2>&1 || skip "$qemu not installed (.ci/deps installs qemu-system-x86)"
# TCG only: KVM guests hang on these machines (nested virtualization).
"$qemu" -accel help 2>/dev/null | grep -qx tcg || skip "$qemu offers no TCG accelerator"
command -v meson >/dev/null 2>&1 || skip "meson not installed"

# The image: built once, cached. build-image.sh prints its own SKIP line.
rc=0
"$here/build-image.sh" >&2 || rc=$?
if [ "$rc" -eq 77 ]; then skip "cannot build the Debian image (see above)"; fi
[ "$rc" -eq 0 ] || { echo "Bail out! build-image.sh failed ($rc)"; exit 1; }

# The project as Debian packages (debian/, dpkg-buildpackage), built once per
# source tree and cached beside the build (build-deb.sh keys them on the
# tree's contents), so the guest gets what a user installs: the packages'
# files, conffiles and maintainer scripts. One case builds at a time.
if [ -n "$build" ]; then
	debdir=$build/tests/vm/deb
	logroot=${HWCAPS_VM_LOGDIR:-$build/tests/vm/logs}
else
	debdir=$src/build-vm/deb
	logroot=${HWCAPS_VM_LOGDIR:-$cache/logs}
fi
image=$("$here/build-image.sh" --dir)
mkdir -p "$debdir" "$logroot/$name"
logdir=$logroot/$name
work=$(mktemp -d "$cache/run-$name.XXXXXX")
mnt=$work/mnt
cleanup() {
	if mountpoint -q "$mnt" 2>/dev/null; then umount "$mnt" || umount -l "$mnt" || true; fi
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(
	flock 9
	t=$(date +%s)
	key=$("$here/build-deb.sh" "$src" "$debdir") || exit 1
	echo "build-deb: packages of tree $key ready after $(( $(date +%s) - t )) s"
	cp "$debdir"/hwcaps_*.deb "$debdir"/hwcaps-dispatch_*.deb "$work/"
) 9>"$debdir.lock" >"$logdir/build.log" 2>&1 || { sed 's/^/# /' "$logdir/build.log"; echo "Bail out! building the .deb packages failed"; exit 1; }
sed 's/^/# /' "$logdir/build.log"

# A writable copy of the image with the project and the test plumbing.
cp --sparse=always "$image/rootfs.img" "$work/disk.img"
mkdir "$mnt"
mount -o loop "$work/disk.img" "$mnt"
# The packages, by dpkg in the image: its maintainer scripts run there (the
# postinst's hwcaps-refresh finds no running systemd and does nothing). The
# image has their run-time dependencies; the rpm macros need rpm and are not
# installed.
g=$here/guest
install -d "$mnt/opt/hwcaps-vm"
if [ -n "$readme" ]; then
	# README.md's steps: its host blocks here (its dpkg-buildpackage is
	# build-deb.sh's, above), the results and the packages where its guest
	# blocks expect them: run in /root/hwcaps, the packages in /root.
	steps=$work/readme
	"$here/readme-steps.sh" "$src/README.md" "$steps" >>"$logdir/build.log" 2>&1 ||
		{ sed 's/^/# /' "$logdir/build.log"; echo "Bail out! README.md's walk-through cannot be read"; exit 1; }
	grep -q '^dpkg-buildpackage -us -uc -b\( \|$\)' "$steps/host.sh" && grep -q 'dpkg-buildpackage -us -uc -b)' "$here/build-deb.sh" ||
		{ echo "Bail out! README.md's host steps no longer build the packages as build-deb.sh does (dpkg-buildpackage -us -uc -b)"; exit 1; }
	install -d "$mnt/root/hwcaps" "$mnt/opt/hwcaps-vm/readme"
	if ! (cd "$steps" && grep -v '^dpkg-buildpackage ' host.sh | sh -eux) >>"$logdir/build.log" 2>&1; then
		sed 's/^/# /' "$logdir/build.log"
		echo "Bail out! README.md's host steps failed"
		exit 1
	fi
	find "$steps" -maxdepth 1 -type f ! -name 'host.sh' ! -name 'guest.*' -exec cp -p {} "$mnt/root/hwcaps/" \;
	cp "$work"/hwcaps_*.deb "$work"/hwcaps-dispatch_*.deb "$mnt/root/"
	cp "$steps/guest.sh" "$steps/guest.cmds" "$mnt/opt/hwcaps-vm/readme/"
	cp "$steps/guest.cmds" "$logdir/readme-guest.cmds"
else
	install -d "$mnt/tmp/hwcaps-debs"
	cp "$work"/hwcaps_*.deb "$work"/hwcaps-dispatch_*.deb "$mnt/tmp/hwcaps-debs/"
	if ! env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin chroot "$mnt" sh -c 'dpkg -i /tmp/hwcaps-debs/*.deb' >>"$logdir/build.log" 2>&1; then
		sed 's/^/# /' "$logdir/build.log"
		echo "Bail out! dpkg -i of the hwcaps packages in the image failed"
		exit 1
	fi
	rm -rf "$mnt/tmp/hwcaps-debs"
fi
install -m 0755 "$g/check.sh" "$mnt/opt/hwcaps-vm/check.sh"
printf '%s\n' "$name" >"$mnt/opt/hwcaps-vm/case"
install -m 0644 "$g/hwcaps-vm-check.service" "$g/hwcaps-vm-syspath.service" "$g/hwcaps-vm-disp.service" \
	"$g/hwcaps-vm-disp-procsubset.service" "$g/hwcaps-vm-nap.service" "$mnt/etc/systemd/system/"
install -d "$mnt/etc/systemd/system/multi-user.target.wants" "$mnt/etc/systemd/user/default.target.wants"
ln -sf ../hwcaps-vm-check.service "$mnt/etc/systemd/system/multi-user.target.wants/"
install -m 0644 "$g/hwcaps-vm-userpath.service" "$mnt/etc/systemd/user/"
ln -sf ../hwcaps-vm-userpath.service "$mnt/etc/systemd/user/default.target.wants/"
for d in system-environment-generators user-environment-generators; do
	install -d "$mnt/usr/lib/systemd/$d"
	install -m 0755 "$g/probe-generator.sh" "$mnt/usr/lib/systemd/$d/10-hwcaps-vm-probe"
	install -m 0755 "$g/probe-generator.sh" "$mnt/usr/lib/systemd/$d/99-hwcaps-vm-probe"
done
# A program with a variant per level: which one runs shows which PATH won.
printf '#!/bin/sh\necho baseline\n' >"$mnt/usr/bin/hwcaps-vm-hello"
chmod 0755 "$mnt/usr/bin/hwcaps-vm-hello"
for l in x86-64-v2 x86-64-v3 x86-64-v4; do
	printf '#!/bin/sh\necho %s\n' "$l" >"$mnt/opt/hwcaps-vm/hello-$l"
	chmod 0755 "$mnt/opt/hwcaps-vm/hello-$l"
	if [ "$dirs" = yes ]; then
		install -d -m 0755 -o root -g root "$mnt/usr/bin/glibc-hwcaps/$l"
		install -m 0755 -o root -g root "$mnt/opt/hwcaps-vm/hello-$l" "$mnt/usr/bin/glibc-hwcaps/$l/hwcaps-vm-hello"
	fi
done
# A dispatched program: /usr/bin/hwcaps-vm-disp is a symlink to the stub
# (as a package installs it), the variants, baseline included, are in the
# level directories (root's, 0755: the trust rule), each printing its level.
if [ "$dirs" = yes ]; then
	ln -s /usr/libexec/hwcaps/hwcaps-dispatch "$mnt/usr/bin/hwcaps-vm-disp"
	for l in x86-64-v1 x86-64-v2 x86-64-v3 x86-64-v4; do
		install -d -m 0755 -o root -g root "$mnt/usr/bin/glibc-hwcaps/$l"
		printf '#!/bin/sh\necho %s\n' "$l" >"$work/disp-$l"
		install -m 0755 -o root -g root "$work/disp-$l" "$mnt/usr/bin/glibc-hwcaps/$l/hwcaps-vm-disp"
	done
fi
# Programs marked with an x86 ISA level (GNU property, -z x86-64-vN): the
# dynamic linker must refuse those above the CPU's level (exit 127, "CPU ISA
# level is lower than required"), the safety net doc/packaging.md relies on.
printf 'int main(void) { return 0; }\n' >"$work/isa.c"
for l in x86-64-v2 x86-64-v3 x86-64-v4; do
	cc -O2 -Wl,-z,"$l" -o "$mnt/opt/hwcaps-vm/isa-$l" "$work/isa.c" 2>>"$logdir/build.log" || rm -f "$mnt/opt/hwcaps-vm/isa-$l"
done
[ -z "$reload" ] || : >"$mnt/opt/hwcaps-vm/reload-test"
if [ -n "$debtrigger" ]; then
	# A second package, as a distribution ships a level variant: nothing but
	# /usr/bin/glibc-hwcaps/x86-64-v3/hwcaps-vm-hello (root's, 0755).
	p=$work/hello-v3-deb
	install -d -m 0755 "$p/DEBIAN" "$p/usr/bin/glibc-hwcaps/x86-64-v3"
	install -m 0755 "$mnt/opt/hwcaps-vm/hello-x86-64-v3" "$p/usr/bin/glibc-hwcaps/x86-64-v3/hwcaps-vm-hello"
	# ... and of hwcaps-vm-nap, an ELF program that waits forever (a
	# script's /proc/PID/exe would be its interpreter), for the service
	# hwcaps-vm-nap.service and "hwcaps which --unit"; its baseline is in
	# the image.
	printf '#include <unistd.h>\nint main(void) { for (;;) pause(); }\n' >"$work/nap.c"
	cc -O2 -o "$work/nap" "$work/nap.c" 2>>"$logdir/build.log"
	install -m 0755 -o root -g root "$work/nap" "$mnt/usr/bin/hwcaps-vm-nap"
	install -m 0755 "$work/nap" "$p/usr/bin/glibc-hwcaps/x86-64-v3/hwcaps-vm-nap"
	printf '%s\n' 'Package: hwcaps-vm-hello-v3' 'Version: 1.0' 'Architecture: all' \
		'Maintainer: hwcaps tests <root@localhost>' 'Description: hwcaps VM test: x86-64-v3 variant of hwcaps-vm-hello' \
		>"$p/DEBIAN/control"
	dpkg-deb --root-owner-group --build "$p" "$mnt/opt/hwcaps-vm/hwcaps-vm-hello-v3.deb" >>"$logdir/build.log" 2>&1
	: >"$mnt/opt/hwcaps-vm/deb-trigger-test"
fi
[ -z "$refresh" ] || : >"$mnt/opt/hwcaps-vm/refresh-test"
[ -z "$conf" ] || printf '%s\n' "$conf" >"$mnt/etc/hwcaps.conf"
if [ -n "$dropins" ]; then
	install -d "$mnt/usr/lib/hwcaps.conf.d" "$mnt/etc/hwcaps.conf.d"
	printf '[hwcaps]\nenable=no\n' >"$mnt/usr/lib/hwcaps.conf.d/50-site.conf"
	printf '[hwcaps]\nmax-level=x86-64-v3\n' >"$mnt/etc/hwcaps.conf.d/50-site.conf"
	printf '[hwcaps]\ndirectories=/usr/bin\n' >"$mnt/etc/hwcaps.conf.d/60-dirs.conf"
fi
ldconfig -r "$mnt"
umount "$mnt"

# At most two VMs at once on this shared machine, whatever meson's -j says.
mkdir -p "$cache/slots"
while :; do
	for s in 0 1; do
		exec 8>"$cache/slots/$s"
		if flock -n 8; then break 2; fi
	done
	sleep 2
done

cmdline="root=/dev/vda rw console=ttyS0 panic=-1 $append"
echo "# boot: -cpu $cpu, kernel command line: $cmdline"
t0=$(date +%s)
qrc=0
# Never -enable-kvm: KVM guests hang on these machines; TCG works.
timeout --kill-after=10 "$timeout_s" "$qemu" -accel tcg -cpu "$cpu" -m 1024 \
	-display none -vga none -no-reboot -nic none -monitor none \
	-kernel "$image/vmlinuz" -initrd "$image/initrd.img" -append "$cmdline" \
	-drive "file=$work/disk.img,format=raw,if=virtio" \
	-serial "file:$logdir/console.log" -serial "file:$logdir/check.log" \
	2>"$logdir/qemu.log" || qrc=$?
exec 8>&-
t1=$(date +%s)
echo "# qemu exited with $qrc after $((t1 - t0)) s"

# ---- assertions, on the host -------------------------------------------
get() {
	tr -d '\r' <"$logdir/check.log" | sed -n "s/^HWCAPS-CHECK $1=//p" | tail -n 1
}
words() {
	# normalise a list: one space between words, none around
	printf '%s' "$1" | tr -s ' \t' '  ' | sed 's/^ //; s/ $//'
}
n=0
generator=$(get generator)
profile_d=$(get profile_d)
cli=$(get hwcaps_cli)
tap() { # ok(0/1) needs description [diagnostic]
	n=$((n + 1))
	todo=
	if [ "$1" -ne 0 ]; then
		case $2 in
		generator) [ "$generator" = present ] || todo=" # TODO hwcaps-env-generator (60-hwcaps) is not installed: generator not on main yet" ;;
		profile) [ "$profile_d" = present ] || todo=" # TODO /etc/profile.d/hwcaps.sh is not installed: not on main yet" ;;
		cli) [ "$cli" != absent ] || todo=" # TODO the hwcaps CLI is not installed: not on main yet" ;;
		refresh) [ "$(get refresh_helper)" = present ] || todo=" # TODO /usr/libexec/hwcaps/hwcaps-refresh is not installed: not on main yet" ;;
		stub) [ "$(get stub)" = present ] || todo=" # TODO /usr/libexec/hwcaps/hwcaps-dispatch is not installed: not on main yet" ;;
		esac
		echo "not ok $n - $3$todo"
		[ -z "${4:-}" ] || printf '%s\n' "$4" | sed 's/^/#   /'
	else
		echo "ok $n - $3"
	fi
}
skipped() { # description reason
	n=$((n + 1))
	echo "ok $n - $1 # SKIP $2"
}
is() { # needs description expected actual
	if [ "$3" = "$4" ]; then tap 0 "$1" "$2"; else tap 1 "$1" "$2" "expected: \"$3\"
actual:   \"$4\""; fi
}
# A PATH is right when, with the level directories taken out, it equals the
# base PATH exactly, and right before /usr/bin sit exactly the expected level
# directories, highest first (hwcaps-env-generator(8)). Any other
# directory may have either nothing or its own full set in front of it, but
# /bin nothing: on this merged-/usr system /bin is /usr/bin, whose level
# directories are already in PATH. With only_usr_bin set
# (directories=/usr/bin), no other directory may have any.
pathcheck() { # actual base levels
	awk -v actual="$1" -v base="$2" -v levels="$3" -v strict="$only_usr_bin" 'BEGIN {
		na = split(actual, A, ":"); nb = split(base, B, ":"); nl = split(levels, L, " ")
		if (actual == "") { print "PATH is empty or missing"; exit 1 }
		j = 0; run = ""
		for (i = 1; i <= na; i++) {
			e = A[i]
			if (e ~ /\/glibc-hwcaps\/x86-64-v[0-9]+$/) { run = run (run == "" ? "" : ":") e; continue }
			j++
			if (j > nb || e != B[j]) {
				printf "entry %d is \"%s\" where the base PATH has \"%s\"\n", i, e, (j > nb ? "(nothing)" : B[j]); exit 1
			}
			want = ""
			for (k = 1; k <= nl; k++) want = want (k > 1 ? ":" : "") e "/glibc-hwcaps/" L[k]
			if (e == "/usr/bin" && run != want) { printf "before /usr/bin: \"%s\", expected \"%s\"\n", run, want; exit 1 }
			if (run != "" && e == "/bin") { printf "before /bin: \"%s\", expected nothing (merged /usr: /bin is /usr/bin)\n", run; exit 1 }
			if (run != "" && strict != "" && e != "/usr/bin") { printf "before %s: \"%s\", expected nothing (directories=/usr/bin)\n", e, run; exit 1 }
			if (run != "" && run != want) { printf "before %s: \"%s\", expected \"%s\" or nothing\n", e, run, want; exit 1 }
			run = ""
		}
		if (run != "") { printf "level directories with no parent after them: %s\n", run; exit 1 }
		if (j != nb) { printf "base entries missing from entry %d (\"%s\") on\n", j + 1, B[j + 1]; exit 1 }
	}'
}
path_is() { # needs description actual base levels
	if msg=$(pathcheck "$3" "$4" "$5"); then tap 0 "$1" "$2"; else tap 1 "$1" "$2" "$msg
PATH:     \"$3\"
base:     \"$4\"
levels:   \"$5\""; fi
}
top() { # highest expected level, or baseline
	set -- $1
	echo "${1:-baseline}"
}

# README.md's walk-through: every step exits 0, and each says what the
# README says it does.
readme_assertions() {
	cmds=$logdir/readme-guest.cmds
	total=$(wc -l <"$cmds")
	step() { # the number of the first guest step matching ^$1 (ERE)
		grep -n -m1 -E -- "^$1" "$cmds" | cut -d: -f1
	}
	i=0
	while IFS= read -r c; do
		i=$((i + 1))
		tap "$([ "$(get "walk_${i}_rc")" = 0 ] && echo 0 || echo 1)" plain \
			"README step $i exits 0: $(printf '%s' "$c" | sed 's/[[:space:]]*#.*//')" \
			"exit status: \"$(get "walk_${i}_rc")\"
output: $(get "walk_${i}_out")"
	done <"$cmds"
	is plain "all $total README steps ran" "$total" "$(get walk_steps)"
	is plain "a new service (systemd-run) runs the x86-64-v3 build" "built for x86-64-v3" "$(get "walk_$(step 'systemd-run --wait --pipe --quiet sh -c hello')_out")"
	is plain "the admin's shell, after . /etc/profile.d/hwcaps.sh, runs the x86-64-v3 build" "built for x86-64-v3" "$(get "walk_$(step 'hello([[:space:]]|$)')_out")"
	w=$(get "walk_$(step 'hwcaps which hello')_out")
	case $w in
	*"/usr/local/bin/glibc-hwcaps/x86-64-v3/hello: runs"*) tap 0 plain "hwcaps which hello names the x86-64-v3 build as the one that runs" ;;
	*) tap 1 plain "hwcaps which hello names the x86-64-v3 build as the one that runs" "$w" ;;
	esac
	is plain "hwcaps list: /usr/local/bin/hello runs its x86-64-v3 variant, owned by no package" \
		"/usr/local/bin/hello x86-64-v3 x86-64-v3 -" \
		"$(get "walk_$(step 'hwcaps list')_out" | sed 's/ | /\n/g' | awk '$1 == "/usr/local/bin/hello" { print $1, $2, $3, $4 }')"
	is plain "a login shell of another user (su -l tester) runs the x86-64-v3 build" "built for x86-64-v3" "$(get readme_login_hello)"
	is plain "a zsh login shell of tester (the README's zprofile line) runs the x86-64-v3 build" "built for x86-64-v3" "$(get readme_zsh_hello)"
	is plain "the lingering user's manager (systemd-run --user) runs the x86-64-v3 build" "built for x86-64-v3" "$(get readme_user_hello)"
	is plain "dpkg has hwcaps and hwcaps-dispatch installed" "hwcaps install ok installed | hwcaps-dispatch install ok installed" "$(get readme_dpkg)"
}

echo "# check.log:"
tr -d '\r' <"$logdir/check.log" | sed 's/^/#   /'
done_at=$(get done)
if [ -z "$done_at" ]; then
	tap 1 plain "the VM booted, ran the checks and reported (case $name)" "$(tail -n 40 "$logdir/console.log" | tr -d '\r' | sed 's/\x1b\[[0-9;]*m//g')"
	echo "1..$n"
	exit 0
fi
tap 0 plain "the VM booted, ran the checks and reported (case $name; -cpu $cpu; $((t1 - t0)) s wall, checks at $(get start)-$done_at s uptime)"
if [ -n "$readme" ]; then
	readme_assertions
	echo "1..$n"
	exit 0
fi
is plain "no failed units in the VM" "" "$(words "$(get failed_units)")"
is generator "hwcaps-env-generator is installed as 60-hwcaps for the system and user managers" "present present" "$generator $(get generator_user)"
is profile "the login shell snippet /etc/profile.d/hwcaps.sh is installed" present "$profile_d"
is plain "every installed hwcaps binary finds its shared libraries (ldd)" "" "$(words "$(get ldd_missing)")"
is plain "the kernel command line carries the case's options" "yes" "$(case " $(get cmdline) " in *" $append "*) echo yes ;; *) echo no ;; esac)"
is plain "ld.so under -cpu $cpu reports levels \"$ldso\" (supported, searched)" "$ldso" "$(words "$(get ldso)")"

# hwcaps levels against the dynamic linker, the oracle.
# "hwcaps levels" prints one level per line, highest first (check.sh joins
# lines with " | "), exactly ld.so's "supported, searched" list.
for src in glibc cpuid; do
	key=hwcaps_levels
	[ "$src" = glibc ] || key=hwcaps_levels_$src
	is cli "hwcaps levels (source $src) equals ld.so's verdict in the VM" \
		"$(words "$(get ldso)") (exit 0)" "$(words "$(get "$key" | sed 's/ | / /g')") (exit $(get "${key}_rc"))"
done

for l in x86-64-v2 x86-64-v3 x86-64-v4; do
	r=$(get "isa_$l")
	case " $ldso " in
	*" $l "*) want="0 " ;;
	*) want="127 CPU ISA level is lower than required" ;;
	esac
	if [ "$r" = absent ] || [ -z "$r" ]; then
		skipped "a program marked -z $l is refused exactly when the CPU lacks $l" "the host compiler could not build it"
	else
		is plain "a program marked -z $l is refused exactly when the CPU lacks $l" "$want" "$(printf '%s' "$r" | sed 's/^\([0-9]*\) .*CPU ISA level is lower than required.*/\1 CPU ISA level is lower than required/')"
	fi
done

base=$(get gen_path_at_10)
if [ -n "$setenv_path" ]; then
	# Fact from the issue: systemd.setenv=PATH= is applied before the
	# environment generators run (they receive it).
	is plain "systemd.setenv=PATH is applied before environment generators run" "$setenv_path" "$base"
	is generator "PATH from systemd.setenv=PATH is left exactly as given" "$setenv_path" "$(get manager_path)"
	is generator "a system service gets exactly the systemd.setenv PATH" "$setenv_path" "$(get service_path)"
else
	is plain "environment generators receive systemd's default PATH" "$DEFAULT_PATH" "$base"
fi
case $append in
systemd.setenv=HWCAPS=off) is plain "systemd.setenv=HWCAPS=off reaches the environment generators" off "$(get gen_hwcaps_at_10)" ;;
esac
is plain "the manager's PATH is what the last environment generator left (generator output replaces PATH)" "$(get gen_path_at_99)" "$(get manager_path)"
path_is generator "systemctl show-environment PATH has levels \"$levels\" before /usr/bin" "$(get manager_path)" "$base" "$levels"
path_is generator "a system service's PATH has levels \"$levels\" before /usr/bin" "$(get service_path)" "$base" "$levels"
is generator "a system service runs the $(top "$levels") variant of a program found by PATH" "$(top "$levels")" "$(get service_hello)"

ubase=$(get user_gen_path_at_10)
[ -z "$setenv_path" ] || ubase=$DEFAULT_PATH
is plain "user environment generators receive the user manager's default PATH" "$DEFAULT_PATH" "$(get user_gen_path_at_10)"
path_is generator "a lingering user's service (user@1000) has levels \"$levels\"" "$(get user_unit_path)" "$ubase" "$levels"
path_is generator "systemd-run --user -M tester@ sees levels \"$levels\"" "$(get user_run_path)" "$ubase" "$levels"
path_is generator "systemctl --user show-environment PATH has levels \"$levels\"" "$(get user_manager_path)" "$ubase" "$levels"
is generator "a user service runs the $(top "$levels") variant" "$(top "$levels")" "$(get user_unit_hello)"

if [ -z "$setenv_path" ]; then
	path_is profile "a login shell (su - tester) has levels \"$levels\"" "$(get login_path)" "$LOGIN_PATH" "$levels"
	path_is profile "a root login shell (bash -l) has levels \"$levels\"" "$(get root_login_path)" "$ROOT_LOGIN_PATH" "$levels"
	is profile "a login shell runs the $(top "$levels") variant" "$(top "$levels")" "$(get login_hello)"
else
	echo "# login shells under systemd.setenv=PATH (not asserted): $(get login_path)"
fi

if [ "$dirs" = yes ]; then
	# The dispatched program by its absolute path (hwcaps-dispatch(8)): the
	# stub, not PATH, picks the variant, by the one decision
	# (hwcaps(1) THE DECISION), which the system generator compiled into
	# /run/hwcaps/policy for everything that cannot read /proc/cmdline.
	want=${stub_level:-$(top "$levels")}
	[ "$want" != baseline ] || want=x86-64-v1
	policy=$(get policy)
	pfield() { printf '%s\n' "$policy" | sed 's/ | /\n/g' | sed -n "s/^$1=//p"; }
	is generator "/run/hwcaps/policy and its directory are root's, closed to others" \
		"/run/hwcaps root:root 755 | /run/hwcaps/policy root:root 644" "$(get policy_stat)"
	if [ "$(pfield hwcaps-policy) $(pfield cap) $(pfield keep-path)" = "1 $policy_cap $policy_keep" ]; then
		tap 0 generator "/run/hwcaps/policy says cap=$policy_cap keep-path=$policy_keep"
	else
		tap 1 generator "/run/hwcaps/policy says cap=$policy_cap keep-path=$policy_keep" "policy file: \"$policy\""
	fi
	pwhy=$(pfield why)
	if [ -z "$policy_why" ]; then
		is generator "/run/hwcaps/policy gives no reason (nothing caps)" "" "$pwhy"
	else
		case $pwhy in
		*"$policy_why"*) tap 0 generator "/run/hwcaps/policy's why= names \"$policy_why\"" ;;
		*) tap 1 generator "/run/hwcaps/policy's why= names \"$policy_why\"" "why: \"$pwhy\"" ;;
		esac
	fi
	is stub "the dispatched program run from the check service runs the $want variant" "$want" "$(get disp_check)"
	is stub "a service with ExecStart=/usr/bin/hwcaps-vm-disp (an absolute path) runs the $want variant" "$want" "$(get disp_service)"
	is plain "a ProcSubset=pid, ProtectProc=invisible service has no /proc/cmdline" hidden "$(get procsubset_cmdline)"
	is stub "under ProcSubset=pid (unit file, ExecStart= the program) it runs the $want variant" "$want" "$(get disp_procsubset)"
	is stub "under ProcSubset=pid (systemd-run, transient service) it runs the $want variant" "$want" "$(get disp_run_procsubset)"
	is stub "a lingering user's systemd-run --user runs the $want variant" "$want" "$(get disp_user)"
	is stub "a login shell (su - tester) runs the $want variant by absolute path" "$want" "$(get disp_login)"
	is stub "a root login shell (bash -l) runs the $want variant by absolute path" "$want" "$(get disp_root_login)"
	wpath=/usr/bin/glibc-hwcaps/$want/hwcaps-vm-disp
	is cli "hwcaps which -q /usr/bin/hwcaps-vm-disp (check service) names $wpath" "$wpath" "$(get which_check)"
	is cli "hwcaps which -q in a login shell (su - tester) names $wpath" "$wpath" "$(get which_login)"
	is cli "hwcaps which -q under ProcSubset=pid names $wpath" "$wpath" "$(get which_procsubset)"
	# 1 exactly when it advises action (Debian's zsh without the
	# zprofile line, a service that could run another variant); the
	# manager is reachable here, so every "Advice:" asks for action.
	case $(get status) in
	*"Advice:"*) want_rc=1 ;;
	*) want_rc=0 ;;
	esac
	is cli "hwcaps status exits $want_rc (1 exactly when it advises action)" "$want_rc" "$(get status_rc)"
	scap=$(get status_cap)
	case $policy_cap in
	none) pat=none ;;
	x86-64-v1) pat="off (the baseline), by *$policy_why*" ;;
	*) pat="$policy_cap, by *$policy_why*" ;;
	esac
	case $scap in
	$pat) tap 0 cli "hwcaps status shows the level cap \"$pat\"" ;;
	*) tap 1 cli "hwcaps status shows the level cap \"$pat\"" "Level cap: \"$scap\"" ;;
	esac
	is cli "hwcaps status takes the boot's options from /run/hwcaps/policy" \
		"/run/hwcaps/policy (kernel command line and hwcaps.conf)" "$(get status_boot)"
fi

if [ -n "$reload" ]; then
	# Fact from the issue: daemon-reload and daemon-reexec re-run the
	# environment generators (a fresh probe token each run).
	r0=$(get gen_run) r1=$(get reload_gen_run) r2=$(get reexec_gen_run)
	tap "$([ -n "$r0" ] && [ -n "$r1" ] && [ "$r0" != "$r1" ] && echo 0 || echo 1)" plain "systemctl daemon-reload re-runs environment generators" "tokens: boot \"$r0\", after reload \"$r1\""
	tap "$([ -n "$r1" ] && [ -n "$r2" ] && [ "$r1" != "$r2" ] && echo 0 || echo 1)" plain "systemctl daemon-reexec re-runs environment generators" "tokens: after reload \"$r1\", after reexec \"$r2\""
	path_is generator "after x86-64-v2/ appears and daemon-reload, show-environment has it before /usr/bin" "$(get reload_manager_path)" "$base" x86-64-v2
	path_is generator "after daemon-reload, a newly started service has x86-64-v2" "$(get reload_service_path)" "$base" x86-64-v2
	is generator "after daemon-reload, a service runs the x86-64-v2 variant" x86-64-v2 "$(get reload_service_hello)"
	path_is generator "after x86-64-v3/ appears and daemon-reexec, show-environment has v3 and v2" "$(get reexec_manager_path)" "$base" "$V3"
	path_is generator "after daemon-reexec, a newly started service has v3 and v2" "$(get reexec_service_path)" "$base" "$V3"
	is generator "after daemon-reexec, a service runs the x86-64-v3 variant" x86-64-v3 "$(get reexec_service_hello)"
fi
if [ -n "$refresh" ]; then
	# hwcaps-refresh, the rpm file trigger's helper, after x86-64-v2/ appears:
	# system and user managers pick it up; a second run reloads nothing.
	is refresh "hwcaps-refresh is installed in /usr/libexec/hwcaps" present "$(get refresh_helper)"
fi
if [ -n "$refresh" ] && [ "$(get refresh_helper)" != present ]; then
	for d in "hwcaps-refresh exits 0" "after hwcaps-refresh, managers and new services have x86-64-v2" \
		"a second hwcaps-refresh reloads nothing"; do
		skipped "$d" "hwcaps-refresh is not installed"
	done
elif [ -n "$refresh" ]; then
	is refresh "hwcaps-refresh exits 0" 0 "$(get refresh1_rc)"
	path_is refresh "after hwcaps-refresh, show-environment has x86-64-v2" "$(get refresh1_manager_path)" "$base" x86-64-v2
	path_is refresh "after hwcaps-refresh, a newly started service has x86-64-v2" "$(get refresh1_service_path)" "$base" x86-64-v2
	is refresh "after hwcaps-refresh, a service runs the x86-64-v2 variant" x86-64-v2 "$(get refresh1_service_hello)"
	path_is refresh "after hwcaps-refresh, the user manager's environment has x86-64-v2" "$(get refresh1_user_manager_path)" "$ubase" x86-64-v2
	path_is refresh "after hwcaps-refresh, systemd-run --user has x86-64-v2" "$(get refresh1_user_run_path)" "$ubase" x86-64-v2
	r0=$(get refresh1_gen_run) r1=$(get refresh2_gen_run)
	tap "$([ -n "$r0" ] && [ "$r0" = "$r1" ] && echo 0 || echo 1)" refresh "a second hwcaps-refresh does not reload the system manager (nothing changed)" "tokens: \"$r0\" then \"$r1\""
	r0=$(get refresh1_user_gen_run) r1=$(get refresh2_user_gen_run)
	tap "$([ -n "$r0" ] && [ "$r0" = "$r1" ] && echo 0 || echo 1)" refresh "a second hwcaps-refresh does not reload the user manager (nothing changed)" "tokens: \"$r0\" then \"$r1\""
	r0=$(get user_gen_run) r1=$(get refresh1_user_gen_run)
	tap "$([ -n "$r0" ] && [ -n "$r1" ] && [ "$r0" != "$r1" ] && echo 0 || echo 1)" refresh "hwcaps-refresh re-ran the user manager's environment generators" "tokens: boot \"$r0\", after refresh \"$r1\""
fi
if [ -n "$debtrigger" ]; then
	# hwcaps installed from its .deb; a second package adds the first level
	# directory and hwcaps' dpkg file trigger (debian/hwcaps.triggers ->
	# postinst "triggered" -> hwcaps-refresh) must reach every manager, with
	# no daemon-reload by hand; removing the package must take it out again.
	is plain "hwcaps and hwcaps-dispatch are installed by dpkg" \
		"hwcaps install ok installed | hwcaps-dispatch install ok installed" "$(get deb_status)"
	is plain "hwcaps.conf and profile.d/hwcaps.sh are conffiles" \
		"/etc/hwcaps.conf | /etc/profile.d/hwcaps.sh" "$(get deb_conffiles)"
	tap "$([ "$(get debtrig_in_rc)" = 0 ] && echo 0 || echo 1)" plain "dpkg -i of a package with /usr/bin/glibc-hwcaps/x86-64-v3/ exits 0" "$(get debtrig_in_out)"
	case $(get debtrig_in_out) in
	*"Processing triggers for hwcaps "*) tap 0 plain "dpkg -i fired hwcaps' file trigger (Processing triggers for hwcaps)" ;;
	*) tap 1 plain "dpkg -i fired hwcaps' file trigger (Processing triggers for hwcaps)" "dpkg said: $(get debtrig_in_out)" ;;
	esac
	is plain "dpkg ran hwcaps' trigger: hwcaps is not left triggers-pending" "install ok installed" "$(get debtrig_in_status)"
	is plain "hwcaps list names the variant, that it runs, and its package" \
		"/usr/bin/hwcaps-vm-hello x86-64-v3 x86-64-v3 hwcaps-vm-hello-v3" \
		"$(get debtrig_in_list | sed 's/ | /\n/g' | awk '$1 == "/usr/bin/hwcaps-vm-hello" { print $1, $2, $3, $4 }')"
	# Debian's librpm9 comes without rpm's configuration: asking it must
	# not make librpm complain ("Unable to open /usr/lib/rpm/rpmrc").
	is plain "hwcaps list on Debian (librpm, no rpm) says nothing on stderr" "" "$(get debtrig_in_list_stderr)"
	r0=$(get gen_run) r1=$(get debtrig_in_gen_run)
	tap "$([ -n "$r0" ] && [ -n "$r1" ] && [ "$r0" != "$r1" ] && echo 0 || echo 1)" generator "the trigger re-ran the system manager's environment generators" "tokens: boot \"$r0\", after dpkg -i \"$r1\""
	# hwcaps which --unit and status on a service started before dpkg -i
	# (its PATH lacks x86-64-v3: it could run the variant and does not),
	# then restarted (it runs the variant, what would run now).
	v3nap=/usr/bin/glibc-hwcaps/x86-64-v3/hwcaps-vm-nap
	case $(get debtrig_nap_before_which) in
	*"runs /usr/bin/hwcaps-vm-nap (no level directory). | It could run $v3nap (x86-64-v3) and does not: its PATH lacks /usr/bin/glibc-hwcaps/x86-64-v3"*)
		tap 0 cli "hwcaps which --unit on a service started before dpkg -i: it could run the x86-64-v3 variant, its PATH lacks it" ;;
	*) tap 1 cli "hwcaps which --unit on a service started before dpkg -i: it could run the x86-64-v3 variant, its PATH lacks it" "$(get debtrig_nap_before_which)" ;;
	esac
	is cli "hwcaps status exits 1 while that service could run the variant" 1 "$(get debtrig_nap_before_status_rc)"
	case $(get debtrig_nap_before_status) in
	*"hwcaps-vm-nap.service (pid "*") runs /usr/bin/hwcaps-vm-nap (no level directory);"*"$v3nap (x86-64-v3) would run: its PATH lacks"*)
		tap 0 cli "hwcaps status lists that service, the variant it could run and why not" ;;
	*) tap 1 cli "hwcaps status lists that service, the variant it could run and why not" "$(get debtrig_nap_before_status)" ;;
	esac
	is cli "after a restart, hwcaps which -q --unit hwcaps-vm-nap hwcaps-vm-nap names the x86-64-v3 variant" "$v3nap" "$(get debtrig_nap_which_q)"
	case $(get debtrig_nap_after_which) in
	*"Unit hwcaps-vm-nap.service (system manager)"*"Process "*" runs $v3nap (x86-64-v3). | That is what would run now."*)
		tap 0 cli "after a restart, hwcaps which --unit hwcaps-vm-nap says its main process runs the x86-64-v3 variant" ;;
	*) tap 1 cli "after a restart, hwcaps which --unit hwcaps-vm-nap says its main process runs the x86-64-v3 variant" "$(get debtrig_nap_after_which)" ;;
	esac
	case $(get debtrig_nap_after_status) in
	*"hwcaps-vm-nap.service (pid "*") runs $v3nap (x86-64-v3)"*) tap 0 cli "hwcaps status lists the service as running the x86-64-v3 variant" ;;
	*) tap 1 cli "hwcaps status lists the service as running the x86-64-v3 variant" "$(get debtrig_nap_after_status)" ;;
	esac
	path_is generator "after dpkg -i, show-environment has x86-64-v3 before /usr/bin" "$(get debtrig_in_manager_path)" "$base" x86-64-v3
	path_is generator "after dpkg -i, a newly started service has x86-64-v3" "$(get debtrig_in_service_path)" "$base" x86-64-v3
	is generator "after dpkg -i, a service runs the x86-64-v3 variant" x86-64-v3 "$(get debtrig_in_service_hello)"
	r0=$(get user_gen_run) r1=$(get debtrig_in_user_gen_run)
	tap "$([ -n "$r0" ] && [ -n "$r1" ] && [ "$r0" != "$r1" ] && echo 0 || echo 1)" generator "the trigger re-ran the lingering user manager's environment generators" "tokens: boot \"$r0\", after dpkg -i \"$r1\""
	path_is generator "after dpkg -i, the user manager's environment has x86-64-v3" "$(get debtrig_in_user_manager_path)" "$ubase" x86-64-v3
	path_is generator "after dpkg -i, systemd-run --user has x86-64-v3" "$(get debtrig_in_user_run_path)" "$ubase" x86-64-v3
	is generator "after dpkg -i, systemd-run --user runs the x86-64-v3 variant" x86-64-v3 "$(get debtrig_in_user_run_hello)"
	for sh in bash dash; do
		path_is profile "after dpkg -i, a $sh login shell (su -l -s /bin/$sh tester) has x86-64-v3" "$(get debtrig_in_${sh}_path)" "$LOGIN_PATH" x86-64-v3
		is profile "after dpkg -i, a $sh login shell runs the x86-64-v3 variant" x86-64-v3 "$(get debtrig_in_${sh}_hello)"
	done
	# Debian's zsh reads /etc/zsh/zshenv and zprofile (zsh-common's
	# conffiles), neither of which sources /etc/profile.d: without the
	# admin's line a zsh login shell keeps su's PATH.
	zbase=$(get debtrig_in_zsh_path)
	path_is plain "a zsh login shell without the zprofile line gets no level directories (Debian's zsh reads no /etc/profile.d)" "$zbase" "$zbase" ""
	is plain "a zsh login shell without the zprofile line runs the baseline" baseline "$(get debtrig_in_zsh_hello)"
	path_is profile "with \"emulate sh -c '. /etc/profile.d/hwcaps.sh'\" in /etc/zsh/zprofile, a zsh login shell has x86-64-v3" "$(get debtrig_in_zsh_hook_path)" "$zbase" x86-64-v3
	is profile "with that line, a zsh login shell runs the x86-64-v3 variant" x86-64-v3 "$(get debtrig_in_zsh_hook_hello)"
	tap "$([ "$(get debtrig_rm_rc)" = 0 ] && echo 0 || echo 1)" plain "dpkg -r of that package exits 0" "$(get debtrig_rm_out)"
	case $(get debtrig_rm_out) in
	*"Processing triggers for hwcaps "*) tap 0 plain "dpkg -r fired hwcaps' file trigger too" ;;
	*) tap 1 plain "dpkg -r fired hwcaps' file trigger too" "dpkg said: $(get debtrig_rm_out)" ;;
	esac
	is plain "dpkg -r removed the level directory" absent "$(get debtrig_rm_dir)"
	path_is generator "after dpkg -r, show-environment has no level directories" "$(get debtrig_rm_manager_path)" "$base" ""
	path_is generator "after dpkg -r, a newly started service has none" "$(get debtrig_rm_service_path)" "$base" ""
	is generator "after dpkg -r, a service runs the baseline" baseline "$(get debtrig_rm_service_hello)"
	path_is generator "after dpkg -r, the user manager's environment has none" "$(get debtrig_rm_user_manager_path)" "$ubase" ""
	path_is generator "after dpkg -r, systemd-run --user has none" "$(get debtrig_rm_user_run_path)" "$ubase" ""
	for sh in bash dash zsh; do
		zb=$LOGIN_PATH
		[ "$sh" != zsh ] || zb=$zbase
		path_is profile "after dpkg -r, a $sh login shell has none" "$(get debtrig_rm_${sh}_path)" "$zb" ""
		is profile "after dpkg -r, a $sh login shell runs the baseline" baseline "$(get debtrig_rm_${sh}_hello)"
	done
fi
echo "1..$n"
