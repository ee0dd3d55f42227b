# shellcheck shell=sh
# freeze.sh arms the thaw timer, then SIGSTOPs the matched processes
# and checks they are in state T. Own args: "$1" timer id, "$2" timer
# seconds, "$3" the thaw script for the timer.
# A fragment: scripts.go ships it after lib.sh, behind the prelude functions
# both call (faultkit.Script).
old=$(svc_pids)
need_pids "$old"
# shellcheck disable=SC2086 # $old: PIDs, split on purpose
fl_arm "$1" "$2" "$3" $old
# shellcheck disable=SC2086
kill -s STOP $old || { kill -s CONT $old; fl_disarm "$fl_tf"; fl_fail "SIGSTOP failed"; }
# shellcheck disable=SC2086
fl_out pids $old
# shellcheck disable=SC2086
frozen() { for fl_s in $(fl_states $old); do case $fl_s in T*) ;; *) return 1 ;; esac; done; }
# shellcheck disable=SC2086
wait_until 2 frozen || fl_fail "not stopped after SIGSTOP: states $(fl_states $old)"
