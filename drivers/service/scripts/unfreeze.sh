# shellcheck shell=sh
# unfreeze.sh SIGCONTs the recorded PIDs that still belong to the
# service (all matched processes when none are recorded), checks none is
# left stopped, then disarms the freeze timer. Own args: "$1" timer id
# ("" = none), then the recorded PIDs.
# A fragment: scripts.go ships it after lib.sh, behind the prelude functions
# both call (faultkit.Script).
tf=$1; shift
cur=$(svc_pids)
targets=""
if [ $# -gt 0 ]; then
  for fl_a in "$@"; do for fl_b in $cur; do [ "$fl_a" = "$fl_b" ] && targets="$targets $fl_a"; done; done
else
  targets=$cur
fi
if [ -z "$targets" ]; then fl_disarm_id "$tf"; echo "no recorded process is still running" >&2; exit 10; fi
# shellcheck disable=SC2086 # $targets: PIDs, split on purpose
kill -s CONT $targets || fl_fail "SIGCONT failed"
# shellcheck disable=SC2086
thawed() { for fl_s in $(fl_states $targets); do case $fl_s in T*) return 1 ;; esac; done; }
# shellcheck disable=SC2086
wait_until 2 thawed || fl_fail "still stopped after SIGCONT: $(fl_states $targets)"
fl_disarm_id "$tf"
# shellcheck disable=SC2086
fl_out pids $targets
