# shellcheck shell=sh
# kill.sh sends a signal (by NAME, never a number) to the service's
# processes and waits until they are gone. Nothing matched exits 10. For a
# systemd unit it then waits until systemd has seen the main process die
# and has finished stopping the unit, and reports what systemd does about it (fl:unit=ActiveState/SubState);
# a restart by Restart= (pending or done) is also said on stderr, so it is
# in the outcome's detail.
# Own args: "$1" signal name, "$2" hit marker id ("" = none; see
# drivers.Request.Discovering), "$3" dead-man timer id ("" = none), "$4"
# its seconds, "$5" revive.sh, "$6" start_cmd: the timer is armed
# before the first signal.
# A fragment: scripts.go ships it after lib.sh, behind the prelude functions
# both call (faultkit.Script).
svc_find; old=$fl_got
need_pids "$old"
[ -z "$2" ] || fl_hit "$2"
[ -z "$3" ] || fl_arm "$3" "$4" "$5" "$mode" "$name" "$pat" "$6" "$2" "$pcs_node"
main=
svc_unit && main=$(svc_main)
# shellcheck disable=SC2086 # $old: PIDs, split on purpose
kill -s "$1" $old 2>/dev/null
# shellcheck disable=SC2086
fl_out pids $old
# shellcheck disable=SC2086
fl_wait_gone "$wait" $old || fl_fail "still alive ${wait}s after SIG$1: $(fl_alive $old)"
if svc_unit && [ -n "$main" ]; then
  settled() {
    [ "$(svc_main)" != "$main" ] && [ "$(systemctl show -p ActiveState --value "$name")" != deactivating ]
  }
  fl_until 5 settled
  fl_as=$(systemctl show -p ActiveState --value "$name") fl_ss=$(systemctl show -p SubState --value "$name")
  fl_out unit "$fl_as/$fl_ss"
  fl_rs=$(systemctl show -p Restart --value "$name")
  fl_np=$(svc_main)
  if [ "$fl_ss" = auto-restart ]; then
    echo "systemd will restart the unit (Restart=$fl_rs, RestartSec=$(systemctl show -p RestartUSec --value "$name"))" >&2
  elif [ -n "$fl_np" ] && [ "$fl_np" != "$main" ]; then
    echo "systemd restarted the unit (Restart=$fl_rs): MainPID $main -> $fl_np" >&2
  fi
fi
