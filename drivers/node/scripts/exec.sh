# shellcheck shell=sh
# exec.sh runs a user-declared command as written, without faultline's
# process marker (what it starts is not faultline's). Args: "$1" command,
# "$2" a timer to disarm first (a revert: the exec's dead-man timer; ""
# = none), "$3" a dead-man timer to arm first ("" = none) that runs this
# script with "$5" (the undo command) after "$4" seconds, "$6" this
# script.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
fl_disarm_id "${2-}"
[ -z "${3-}" ] || fl_arm "$3" "$4" "$6" "$5"
fl_bare sh -c "$1"
