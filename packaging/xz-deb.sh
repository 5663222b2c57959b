#!/bin/sh
# Rebuilds a .deb with its data compressed by xz, as Debian's own packages are: Tauri's bundler
# writes data.tar.gz, and xz makes the package about 28 % smaller (10.0 MB → 7.2 MB measured) with
# the same files, modes, owners and control data. dpkg-deb is part of every Debian system.
#
# usage: packaging/xz-deb.sh PACKAGE.deb
set -eu
deb="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
dpkg-deb -R "$deb" "$work/root"
dpkg-deb -Zxz --root-owner-group -b "$work/root" "$work/out.deb" >/dev/null
mv "$work/out.deb" "$deb"
