# shellcheck shell=sh
# shutdown.sh fires a power-off the same way (falling back to
# `poweroff -f` when no init system answers).
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
command -v poweroff >/dev/null 2>&1 || command -v shutdown >/dev/null 2>&1 || { echo "neither poweroff nor shutdown is installed" >&2; exit 11; }
setsid nohup sh -c 'sleep 1; poweroff || shutdown -h now || poweroff -f' </dev/null >/dev/null 2>&1 &
fl_out fired shutdown
