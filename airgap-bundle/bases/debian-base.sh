#!/usr/bin/env bash
# Builds a Debian base image as an OCI image layout, without a container engine:
# debootstrap --variant=minbase (plus --include packages) into a folder, trimmed, packed as one
# reproducible layer (sorted, fixed times, numeric owners) with umoci.
#
#   debian-base.sh --out DIR [--tag base] [--suite bookworm] [--mirror URL] [--include pkg1,pkg2]
#   debian-base.sh --out DIR --packages pkg1,pkg2,…   # no debootstrap: only these packages, unpacked
#
# The first form runs as root (debootstrap needs it). The second (`--packages`) fetches exactly the named
# .deb files with `apt-get download` (from the machine's apt sources, dependencies NOT resolved: name them
# all) and unpacks them with `dpkg-deb -x`, no maintainer scripts: a small base for tests (seconds instead
# of a minute and a half), not for production. The image gets a `drydock` user and group 10001 (HOME /tmp), which
# the Drydock images run as. Base images of your own work as well: any OCI layout or registry image with a
# glibc userland (see docs/install.md, "Base images").
set -euo pipefail

out="" tag="base" suite="bookworm" mirror="http://deb.debian.org/debian" include="" packages=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --tag) tag="$2"; shift 2 ;;
    --suite) suite="$2"; shift 2 ;;
    --mirror) mirror="$2"; shift 2 ;;
    --include) include="$2"; shift 2 ;;
    --packages) packages="$2"; shift 2 ;;
    *) echo "debian-base.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
[ -n "$out" ] || { echo "debian-base.sh: --out DIR is required" >&2; exit 2; }
for tool in umoci tar; do
  command -v "$tool" > /dev/null || { echo "debian-base.sh: needs $tool (Debian: apt-get install umoci)" >&2; exit 69; }
done

work="$(mktemp -d "${TMPDIR:-/tmp}/drydock-base.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"
if [ -n "$packages" ]; then
  mkdir -p "$rootfs/var/lib/dpkg" "$rootfs/etc" "$rootfs/tmp" "$work/debs"
  (cd "$work/debs" && apt-get download ${packages//,/ } > "$work/download.log" 2>&1) || { tail -n 20 "$work/download.log" >&2; exit 1; }
  : > "$rootfs/var/lib/dpkg/status"
  for deb in "$work"/debs/*.deb; do
    dpkg-deb -x "$deb" "$rootfs"
    { dpkg-deb -f "$deb" Package Version Architecture Source | sed '1a Status: install ok installed'; echo; } >> "$rootfs/var/lib/dpkg/status"
  done
  # merged /usr, as Debian 12 lays it out
  for d in bin sbin lib lib64; do [ -e "$rootfs/$d" ] || { mkdir -p "$rootfs/usr/$d"; ln -s "usr/$d" "$rootfs/$d"; }; done
  printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rootfs/etc/passwd"; printf 'root:x:0:\n' > "$rootfs/etc/group"; printf 'root:*:19000::::::\n' > "$rootfs/etc/shadow"
  mkdir -p "$rootfs/etc/apt"
else
  command -v debootstrap > /dev/null || { echo "debian-base.sh: needs debootstrap (Debian: apt-get install debootstrap)" >&2; exit 69; }
  [ "$(id -u)" = 0 ] || { echo "debian-base.sh: debootstrap needs root" >&2; exit 69; }
  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  if [ -n "$include" ]; then
    # apt inside the new root, not debootstrap --include (which fails to configure npm's dependency tree).
    echo "deb $mirror $suite main" > "$rootfs/etc/apt/sources.list"
    { chroot "$rootfs" apt-get update -qq && chroot "$rootfs" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${include//,/ }; } \
      > "$work/apt.log" 2>&1 || { tail -n 30 "$work/apt.log" >&2; exit 1; }
    chroot "$rootfs" apt-get clean
  fi
fi

# Trim what an image never uses; keep /var/lib/dpkg/status (the SBOM lists the installed packages from it).
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/* \
  "$rootfs"/usr/share/doc/* "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/var/cache/debconf/*-old \
  "$rootfs"/dev/* "$rootfs"/proc/* "$rootfs"/sys/* "$rootfs"/run/* "$rootfs"/tmp/*
mkdir -p "$rootfs/tmp" && chmod 1777 "$rootfs/tmp"
# No apt sources inside: the build machine's mirror means nothing in the air-gapped network (docs/install.md, "Mirrors").
: > "$rootfs/etc/apt/sources.list"; rm -f "$rootfs"/etc/apt/sources.list.d/*
echo "drydock:x:10001:10001:Drydock:/tmp:/usr/sbin/nologin" >> "$rootfs/etc/passwd"
echo "drydock:x:10001:" >> "$rootfs/etc/group"
echo "drydock:!:19000::::::" >> "$rootfs/etc/shadow"
: > "$rootfs/etc/machine-id"
rm -f "$rootfs/etc/hostname" "$rootfs/etc/resolv.conf" "$rootfs/var/cache/ldconfig/aux-cache"

tar -C "$rootfs" --sort=name --mtime=@946684800 --numeric-owner --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime -cf "$work/layer.tar" .
rm -rf "$out"
umoci init --layout "$out"
umoci new --image "$out:$tag"
umoci raw add-layer --no-history --image "$out:$tag" "$work/layer.tar"
umoci config --no-history --image "$out:$tag" --created 2000-01-01T00:00:00Z --author drydock \
  --config.env PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --config.env LANG=C.UTF-8 \
  --config.user 10001:10001 --os linux --architecture amd64
# umoci leaves the layers of intermediate steps behind; drop what no tag references.
umoci gc --layout "$out"
echo "$out:$tag"
