#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. Git keeps no FIFOs.
mkfifo "$1$SYSCONFDIR/hwcaps.conf"
