# shellcheck shell=sh
# Sudo with a become password (become.go): reads the password line from
# stdin into a variable, pipes it from a builtin to `sudo -S -v`, runs the
# command with `sudo -n` and the credential just cached, then drops it
# (`sudo -k`). "$@" is the `sudo -n` argv tail. Exit 125 with the
# "faultline-become:" marker: the escalation failed; else the command's
# own status.
IFS= read -r fl_pw || { echo 'faultline-become: no password line on stdin' >&2; exit 125; }
if ! printf '%s\n' "$fl_pw" | sudo -S -p '' -v; then
	fl_pw=; echo 'faultline-become: sudo refused the password or the user' >&2; exit 125
fi
fl_pw=
sudo -n "$@"
fl_rc=$?
sudo -k 2>/dev/null
exit $fl_rc
