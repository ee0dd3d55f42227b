#!/bin/sh
# faultline lab: one node's boot. Runs under tini (PID 1) inside the node's
# own PID, mount and UTS namespaces and its network namespace.
# Usage: node-boot.sh NODE FQDN LABDIR HOST_PID_NS SERVICES
set -eu
NODE=$1 FQDN=$2 LABDIR=$3 HOST_PID_NS=$4 SERVICES=$5
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
export PATH

# Safety: everything below (mounts, reboot) is only for a private PID namespace.
if [ "$(readlink /proc/self/ns/pid)" = "$HOST_PID_NS" ]; then
	echo "node-boot: refusing to run in the host PID namespace" >&2
	exit 1
fi

mount --make-rprivate /
mount -t proc -o nosuid,nodev,noexec proc /proc
[ -e /proc/sysrq-trigger ] && mount --bind /dev/null /proc/sysrq-trigger

# openstack profile: the node's own copies of service configs, data and logs
# ("SOURCE TARGET" per line; targets are the packages' own paths). Before
# the private tmpfs mounts below: a source that is a mount of its own under
# the lab dir (RabbitMQ's tmpfs) must be bound while it is still visible.
case ",$SERVICES," in *,openstack,*)
	while read -r src dst; do
		[ -e "$dst" ] || { echo "node-boot: $dst missing: install the openstack profile's packages (.ci/setup-machine.sh)" >&2; exit 1; }
		mount --bind "$src" "$dst"
	done <"$LABDIR/nodes/$NODE/binds" ;;
esac
# Keep handles on what the private tmpfs mounts below would hide.
exec 8</run 9<"$LABDIR"
# Drop copies of other tenants' mounts under the paths we replace (netns
# and docker bind mounts), so this node never pins their namespaces. A lazy
# unmount takes a whole subtree: unmount only the top of each.
top=/nonexistent
for m in $(findmnt -rn -o TARGET | grep -E '^/(run|tmp|root|dev/shm)/' | sort); do
	case "$m" in "$top"/*) continue ;; esac
	top=$m
	umount -l "$m" 2>/dev/null || true
done
mount -t tmpfs -o mode=0755,size=16m tmpfs /run
mount -t tmpfs -o mode=1777,size=64m tmpfs /tmp
mount -t tmpfs -o mode=0700,size=8m tmpfs /root
mount -t tmpfs -o mode=1777,size=8m tmpfs /dev/shm
if [ ! -e "$LABDIR/state.json" ]; then
	mkdir -p "$LABDIR"
	mount --no-canonicalize --bind /proc/self/fd/9 "$LABDIR"
fi
if [ -S /proc/self/fd/8/docker.sock ]; then
	: >/run/docker.sock
	mount --no-canonicalize --bind /proc/self/fd/8/docker.sock /run/docker.sock
fi
exec 8<&- 9<&-

hostname "$NODE"
mount --bind "$LABDIR/etc/hosts" /etc/hosts
if [ -f /etc/hostname ]; then mount --bind "$LABDIR/etc/hostname.d/$NODE" /etc/hostname; fi
case ",$SERVICES," in *,memcached,*) mount --bind "$LABDIR/etc/memcached.conf" /etc/memcached.conf ;; esac
# /etc/init.d gains lab-api or the openstack services (read-only overlay:
# the host's scripts stay untouched).
case ",$SERVICES," in *,api,* | *,openstack,*)
	mount -t overlay -o "lowerdir=$LABDIR/etc/init.d:/etc/init.d" overlay /etc/init.d ||
		echo "node-boot: no overlay for /etc/init.d: use $LABDIR/bin/lab-api instead of 'service lab-api'" >&2 ;;
esac
# openstack: the admin credentials where operators keep them.
case ",$SERVICES," in *,openstack,*) install -m 600 "$LABDIR/openstack/admin-openrc" /root/admin-openrc ;; esac
mkdir -p /run/faultline-lab /run/sshd /run/lock /run/memcached
chown memcache /run/memcached 2>/dev/null || true
# Global kernel knobs stay read-only in a node; its own network ones stay writable.
mount --bind /proc/sys /proc/sys
mount -o remount,bind,ro /proc/sys
mount --bind /proc/sys/net /proc/sys/net
mount -o remount,bind,rw /proc/sys/net
# A fresh boot id per boot, where drivers look for one.
cat /proc/sys/kernel/random/uuid >/run/faultline-lab/boot_id
mount --bind /run/faultline-lab/boot_id /proc/sys/kernel/random/boot_id
echo "$NODE" >/run/faultline-lab/node
echo "$FQDN" >/run/faultline-lab/fqdn
ip link set lo up

LOGS=$LABDIR/nodes/$NODE
echo "boot $(cat /run/faultline-lab/boot_id) $(date +%s.%N)" >>"$LOGS/boots"
/usr/sbin/sshd -f "$LABDIR/ssh/sshd_node.conf" -h "$LABDIR/keys/host/$NODE" -E "$LOGS/sshd.log"
case ",$SERVICES," in *,memcached,*) service memcached start >>"$LOGS/boot.log" 2>&1 ;; esac
case ",$SERVICES," in *,api,*) "$LABDIR/bin/lab-api" start >>"$LOGS/boot.log" 2>&1 ;; esac
# openstack: after a reboot, the node's services start again and rejoin.
case ",$SERVICES," in *,openstack,*) setsid "$LABDIR/bin/os-svc" boot >>"$LOGS/boot.log" 2>&1 </dev/null & ;; esac
echo ready >/run/faultline-lab/ready
cat /run/faultline-lab/boot_id >"$LOGS/ready"

# Serve /run/initctl like sysvinit, so a plain `reboot` or `poweroff`
# (systemctl falls back to initctl without systemd) ends this node the way
# reboot(2) does: the supervisor restarts it after a reboot only.
mkfifo -m 600 /run/initctl
exec 3<>/run/initctl
while :; do
	# Only dd waits (no pipeline of idle processes per node); parse afterwards.
	dd bs=384 count=1 iflag=fullblock of=/run/faultline-lab/initreq <&3 2>/dev/null || continue
	case "$(od -An -t d4 -j 8 -N 4 /run/faultline-lab/initreq)" in
	*48) poweroff -ff ;; # runlevel '0'
	*54) reboot -ff ;;   # runlevel '6'
	esac
done
