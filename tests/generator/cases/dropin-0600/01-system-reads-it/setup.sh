#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. Git keeps no 0600 mode.
chmod 600 "$1$SYSCONFDIR/hwcaps.conf.d/50-admin.conf"
