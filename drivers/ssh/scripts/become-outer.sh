# shellcheck shell=sh
# Sent after pgid.sh (pgid.go): runs the escalation command line "$1"
# (sudo/doas/su with the command's argv, quoted) from a shell that reported
# its process group first; exec keeps it the group's leader.
eval "exec $1"
