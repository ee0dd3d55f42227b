# shellcheck shell=sh
# disk-fill.sh arms the dead-man timer (which removes the file), then
# creates one file of the given size in an existing directory (fallocate,
# else dd) and checks its size. The file must not exist yet. Args: "$1"
# directory, "$2" file name, "$3" bytes, "$4" timer id, "$5" its seconds,
# "$6" disk-free.sh.
# scripts.go ships it behind the prelude functions it calls (faultkit.Script).
dir=$1 f="$1/$2" bytes=$3
[ -d "$dir" ] || fl_fail "no directory $dir"
[ ! -e "$f" ] || fl_fail "$f already exists"
fl_tf=; [ -z "$4" ] || fl_arm "$4" "$5" "$6" "$f" ""
undo() { rm -f "$f"; fl_disarm "$fl_tf"; fl_fail "$1"; }
if ! fallocate -l "$bytes" "$f" 2>/dev/null; then
  rm -f "$f"
  dd if=/dev/zero of="$f" bs=1048576 count=$(( (bytes + 1048575) / 1048576 )) 2>/dev/null || undo "cannot write $bytes bytes in $dir (disk full?)"
fi
size=$(stat -c %s "$f") || undo "$f missing after fill"
[ "$size" -ge "$bytes" ] || undo "$f has $size bytes, want $bytes"
fl_out file "$f"
