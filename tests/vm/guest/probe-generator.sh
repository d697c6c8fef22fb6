#!/bin/sh
# Test-only environment generator, installed by run-case.sh as
# 10-hwcaps-vm-probe and 99-hwcaps-vm-probe in the system and user
# environment-generator directories. systemd runs environment generators in
# lexical order, each seeing the environment the previous ones produced
# (systemd.environment-generator(7)), so 10- records the PATH systemd hands to
# 60-hwcaps and 99- the PATH 60-hwcaps left. The values land in the manager's
# environment, where the check reads them back; a fresh token per run shows
# whether a daemon-reload/-reexec re-ran the generators.
set -eu
n=$(basename "$0" | cut -d- -f1)
token=$(cat /proc/sys/kernel/random/uuid)
# Single quotes: systemd parses this output like an environment file. The test
# PATHs contain no single quote.
printf "HWCAPS_VM_PATH_AT_%s='%s'\n" "$n" "${PATH-}"
printf "HWCAPS_VM_HWCAPS_AT_%s='%s'\n" "$n" "${HWCAPS-unset}"
printf "HWCAPS_VM_RUN_%s='%s'\n" "$n" "$token"
