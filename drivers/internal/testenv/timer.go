package testenv

// ArmedTimerSh (sh, "$1" a timer file, as a fault's fl:timer reports it)
// succeeds when that timer is armed, read without faultline's prelude: a
// watchdog's timer ("w ..." and its revert file) whose watchdog runs, or
// a timer process (pid file "PID START") that runs.
const ArmedTimerSh = `read -r k _ <"$1" || exit 1
if [ "$k" = w ]; then [ -e "${1%.timer}.tw" ] && read -r k _ <"${1%/*}/watchdog" || exit 1; fi
kill -0 "$k"`
