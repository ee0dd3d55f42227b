# shellcheck shell=sh
# revive.sh is what the dead-man timer of a kill or terminate runs
# when no revert came (the controller died or was cut off): it starts the
# service as the revert would, with the same command, only where the fault
# hit (the mark, when the fault found its own targets) and only when the
# service is not running. The timer carries faultline's marker, so
# fl_match never sees the timer itself. Args: "$1" mode, "$2" name, "$3"
# grep pattern, "$4" start_cmd, "$5" hit mark id ("" = none), "$6" the
# node's Pacemaker name.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
mode=$1 name=$2 pat=$3 c_start=$4 hit=$5 pcs_node=$6
if [ -n "$hit" ]; then fl_hit_has "$hit" || exit 0; fi
systemd=0
if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then systemd=1; fi
up() {
  if [ -n "$pat" ]; then [ -n "$(fl_match "$pat")" ]; return; fi
  case $mode in
  unit) if [ $systemd = 1 ]; then systemctl is-active --quiet "$name"; else service "$name" status >/dev/null 2>&1; fi ;;
  *) return 1 ;;
  esac
}
if ! up; then
  if [ -n "$c_start" ]; then fl_bare sh -c "$c_start"
  else
    case $mode in
    unit) if [ $systemd = 1 ]; then systemctl start "$name"; else fl_bare service "$name" start; fi ;;
    pcs) pcs resource clear "$name" "$pcs_node" ;;
    esac
  fi
fi </dev/null >/dev/null 2>&1
[ -z "$hit" ] || fl_hit_clear "$hit"
exit 0
