# shellcheck shell=sh
# thaw.sh is what a freeze timer runs: SIGCONT to the recorded PIDs.
kill -s CONT "$@" 2>/dev/null; exit 0
