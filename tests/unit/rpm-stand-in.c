/* SPDX-License-Identifier: MIT */
/* Built with librpm's soname and none of its functions (meson.build): what
 * pkg-owner.c meets where the installed librpm is not the one it was built
 * against. */
int hwcaps_rpm_stand_in;
