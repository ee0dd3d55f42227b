# shellcheck shell=sh
# disk-free.sh disarms the fill's timer, then removes exactly the named
# fill file, if it is a regular file. Args: "$1" path, "$2" timer id
# ("" = none).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
f=$1
fl_disarm_id "$2"
[ -e "$f" ] || { fl_out note "already gone"; exit 0; }
{ [ -f "$f" ] && [ ! -L "$f" ]; } || fl_fail "$f is not a regular file; left alone"
rm -f -- "$f" || fl_fail "cannot remove $f"
