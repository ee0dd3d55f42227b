#!/usr/bin/env bash
# Installs and prepares everything faultline's demo and tests need on a
# fresh Debian 12 machine (run as root). Idempotent: safe to run again.
set -euo pipefail

need_root() { [ "$(id -u)" = 0 ] || { echo "setup-machine.sh: run as root (it installs packages)" >&2; exit 1; }; }
need_root

pkgs=(
  openssh-server openssh-client sudo            # real sshd nodes and jump hosts
  memcached iproute2 iptables nftables          # lab services; network faults in namespaces
  libvirt-daemon libvirt-clients libvirt-daemon-driver-lxc   # libvirt power driver (LXC domains)
  openipmi ipmitool                             # ipmi_sim BMC for the IPMI power driver
  stress-ng faketime procps psmisc util-linux   # stress faults, clock tests, process tools
  iputils-ping curl libxml2-utils graphviz tini # probes, JUnit XSD check, DOT rendering
)
# Packages the helpers recorded as needed (one per line, # comments allowed).
here=$(cd "$(dirname "$0")" && pwd)
if [ -f "$here/apt-extra.txt" ]; then
  while read -r p; do p=${p%%#*}; [ -n "${p// }" ] && pkgs+=("$p"); done < "$here/apt-extra.txt"
fi

missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-machine.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Packages with init scripts (memcached, corosync, pacemaker, pcsd,
  # libvirtd) must not start daemons on the host: tests start their own,
  # inside namespaces. policy-rc.d = 101 forbids it during the install.
  guard=/usr/sbin/policy-rc.d
  ours=0
  if [ ! -e "$guard" ]; then
    printf '#!/bin/sh\n# faultline setup-machine.sh: no daemon starts during package installs\nexit 101\n' >"$guard"
    chmod 0755 "$guard"
    ours=1
    trap 'rm -f "$guard"' EXIT
  fi
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ $ours = 1 ]; then rm -f "$guard"; trap - EXIT; fi
fi

# sshd's privilege-separation directory (shared by lab nodes: they see the host's /run/sshd).
mkdir -p /run/sshd && chmod 0755 /run/sshd
# libvirtd needs these even when only the LXC driver is used.
getent group libvirt-qemu >/dev/null || groupadd -r libvirt-qemu
getent passwd libvirt-qemu >/dev/null || useradd -r -g libvirt-qemu -d /var/lib/libvirt -s /usr/sbin/nologin libvirt-qemu
mkdir -p /var/log/libvirt /run/libvirt

# Docker Engine is started by this kind of machine before any session; check it answers.
if command -v docker >/dev/null && ! docker info >/dev/null 2>&1; then
  echo "setup-machine.sh: warning: docker is installed but the daemon does not answer" >&2
fi
echo "setup-machine.sh: ready"
