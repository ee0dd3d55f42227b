# shellcheck shell=sh
# state.sh prints fl:state=running|paused|stopped.
# A fragment: scripts.go ships it after lib.sh, behind the prelude functions
# both call (faultkit.Script).
p=$(svc_pids)
if [ -n "$p" ]; then
  st=paused
  # shellcheck disable=SC2086 # $p: PIDs, split on purpose
  for fl_s in $(fl_states $p); do case $fl_s in T*) ;; *) st=running ;; esac; done
  fl_out state "$st"
  # shellcheck disable=SC2086
  fl_out pids $p
elif svc_running; then fl_out state running
else fl_out state stopped; fi
