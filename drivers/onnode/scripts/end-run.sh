# shellcheck shell=sh
# end-run.sh ends the in-flight processes of a run. Args: "$1" the run's
# marker value (drivers.MarkValue), "$2" a controller id whose commands
# are spared ("" = none), "$3" 0. Prints fl:ended=PID(comm)...
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
end_run
fl_out ended "$fl_ended"
