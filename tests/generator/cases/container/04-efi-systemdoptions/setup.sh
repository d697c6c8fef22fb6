#!/bin/bash
# SPDX-License-Identifier: MIT
# $1: the fixture root. A tree can add files, not take them away.
rm "$1/run/systemd/container"    # not a container any more
