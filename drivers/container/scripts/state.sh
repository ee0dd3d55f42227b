# shellcheck shell=sh
# state.sh prints fl:state=running|paused|stopped (exit 10 when there
# is no such container).
# A fragment: scripts.go ships it after lib.sh, behind the prelude
# functions both call (faultkit.Script).
need_exists
case $(c_status) in
running|restarting) fl_out state running ;;
paused) fl_out state paused ;;
*) fl_out state stopped ;;
esac
