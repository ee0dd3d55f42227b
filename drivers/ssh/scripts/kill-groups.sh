# shellcheck shell=sh
# Ends the process groups given as arguments (a timed-out command's, see
# pgid.go): TERM, a grace period, then KILL.
for g; do kill -s TERM -- "-$g" 2>/dev/null; done; sleep 1; for g; do kill -s KILL -- "-$g" 2>/dev/null; done; exit 0
