# shellcheck shell=sh
# Su (become_su.go): "$1" is the command line, "$2" the user to become.
# Only from a root login: otherwise su would ask for a password and PAM
# would read the command's stdin, so it fails first (exit 125 and the
# marker).
if [ "$(id -u)" != 0 ]; then echo 'faultline-become: su needs a root login (it would ask for a password, which faultline cannot give it)' >&2; exit 125; fi
exec su -s /bin/sh -c "$1" -- "$2"
