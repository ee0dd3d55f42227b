# shellcheck shell=sh
# The transport's prefix (pgid.go): the first line of every command's
# shell, and of the outer shell in front of an escalation tool. When this
# shell's process group is certainly the command's own, it reports it on
# stderr as "faultline-pgid:PGID" (the transport strips the line and ends
# that group when the command times out). It leaves the shell's pid,
# parent and session in fl_self_pid, fl_self_pp, fl_self_sid for the
# prelude's fl_self. One line: it is sent with every command.
# shellcheck disable=SC2034 # fl_self_*: for the script that follows
{ read -r fl_pid _ _ fl_pp fl_pg fl_sid _ </proc/self/stat && [ "$fl_pid" = "$$" ] && [ "$fl_pg" -gt 1 ] && { [ "$fl_pg" = "$$" ] || { [ "$fl_pg" = "$fl_sid" ] && [ "$fl_pp" = "$fl_sid" ]; }; } && printf 'faultline-pgid:%s\n' "$fl_pg" >&3; } 3>&2 2>/dev/null; fl_self_pid=$fl_pid fl_self_pp=$fl_pp fl_self_sid=$fl_sid; unset fl_pid fl_pp fl_pg fl_sid
