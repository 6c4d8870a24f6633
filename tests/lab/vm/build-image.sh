#!/usr/bin/env bash
# Builds (once, cached) what the IPVS VM boots: Debian's linux-image-amd64 kernel and a
# busybox-static initramfs that can mount the host's root over 9p.
#   build-image.sh CACHE_DIR   prints "KERNEL INITRD KVER" on stdout
# The host kernel package is never installed: the .deb is fetched with apt-get download
# and unpacked with dpkg-deb -x into the cache.
set -euo pipefail
CACHE=${1:?usage: build-image.sh CACHE_DIR}
HERE=$(dirname "$(readlink -f "$0")")
log() { printf '[vm-image] %s\n' "$*" >&2; }

mkdir -p "$CACHE/deb"
pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
if [ -z "$pkg" ]; then
    log "apt has no linux-image-amd64 yet: running apt-get update"
    apt-get update -qq
    pkg=$(apt-cache depends linux-image-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')
fi
[ -n "$pkg" ] || { log "cannot resolve the kernel package behind linux-image-amd64"; exit 1; }
kver=${pkg#linux-image-}
kdir=$CACHE/kernel-$kver

if [ ! -e "$kdir/.complete" ]; then
    deb=$(ls "$CACHE"/deb/"${pkg}"_*.deb 2>/dev/null | head -1 || true)
    if [ -z "$deb" ]; then
        log "downloading $pkg (Debian package registry)"
        # apt's sandbox user cannot write into a root-only cache; download in a scratch dir it can.
        (cd "$CACHE/deb" && apt-get download "$pkg" >&2) || { apt-get update -qq && (cd "$CACHE/deb" && apt-get download "$pkg" >&2); }
        deb=$(ls "$CACHE"/deb/"${pkg}"_*.deb | head -1)
    fi
    log "unpacking $deb"
    rm -rf "$kdir"
    mkdir -p "$kdir"
    dpkg-deb -x "$deb" "$kdir"
    depmod -b "$kdir" "$kver"
    touch "$kdir/.complete"
fi

moddir=$kdir/lib/modules/$kver
# The initramfs only needs what mounts the host root; the rest (ipvs, bridge, veth...) is
# loaded later by modprobe from the same module tree seen through 9p.
want="virtio_pci virtio_net 9pnet_virtio 9p"
stamp=$(cat "$0" "$HERE/stage1" | sha256sum | cut -c1-16)
initrd=$CACHE/initramfs-$kver-$stamp.img
if [ ! -e "$initrd" ]; then
    log "building $initrd"
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    mkdir -p "$tmp"/{bin,dev,proc,sys,newroot,etc,mods}
    cp /bin/busybox "$tmp/bin/busybox"
    for a in sh switch_root mount umount mkdir insmod cat sleep chroot ls echo ip tr cut grep sed poweroff reboot mknod ln; do
        ln -s busybox "$tmp/bin/$a"
    done
    mknod -m 600 "$tmp/dev/console" c 5 1
    mknod -m 666 "$tmp/dev/null" c 1 3
    # Dependency-first load order from modules.dep.
    declare -A seen=()
    order=()
    visit() {
        local m=$1 line dep
        [ -n "${seen[$m]:-}" ] && return
        seen[$m]=1
        line=$(grep -E "(^|/)${m}\.ko(\.[a-z]+)?:" "$moddir/modules.dep" | head -1)
        [ -n "$line" ] || { log "module $m not in $kver"; exit 1; }
        for dep in ${line#*:}; do
            dep=${dep##*/}; dep=${dep%%.ko*}
            visit "$dep"
        done
        order+=("${line%%:*}")
    }
    for m in $want; do visit "$m"; done
    : >"$tmp/modules.order"
    for f in "${order[@]}"; do
        cp "$moddir/$f" "$tmp/mods/"
        echo "${f##*/}" >>"$tmp/modules.order"
    done
    cp "$HERE/stage1" "$tmp/init"
    chmod 755 "$tmp/init"
    (cd "$tmp" && find . | cpio -o -H newc --quiet | gzip -1) >"$initrd.tmp"
    mv "$initrd.tmp" "$initrd"
fi
echo "$kdir/boot/vmlinuz-$kver $initrd $kver"
