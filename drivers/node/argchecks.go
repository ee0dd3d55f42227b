package node

import (
	"fmt"
	"path"
	"strings"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/zclconf/go-cty/cty"
)

// stressKinds are the values of stress's `kind`; the first four also have
// a shorthand argument (cpu = N).
var stressKinds = []string{"cpu", "memory", "disk", "io", "kernel", "all"}

// shorthandKinds are the kinds with a `<kind> = N` shorthand argument.
var shorthandKinds = stressKinds[:4]

// The value checks of the node verb table; the driver runs the same checks
// at run time (argSpec + CheckValue), so validate and the driver agree.
var (
	sizeCheck = drivers.StringCheck(`a positive size such as "64M" (suffix K, M or G)`, func(s string) error {
		_, err := ParseSize(s)
		return err
	})
	dirCheck = drivers.StringCheck("a clean absolute directory", func(p string) error {
		if !path.IsAbs(p) || path.Clean(p) != p {
			return fmt.Errorf("%q: want a clean absolute directory such as \"/tmp\"", p)
		}
		return nil
	})
	offsetCheck = drivers.StringCheck(`a non-zero signed whole-second duration such as "+30s" or "-5m"`, func(s string) error {
		_, err := ParseOffset(s)
		return err
	})
	allowClockCheck = &drivers.ArgCheck{Doc: "must be true", Func: func(v cty.Value) error {
		if v.Type() == cty.Bool && v.False() {
			return fmt.Errorf("changing a node's clock affects everything on it; set allow_clock = true to confirm")
		}
		return nil
	}}
	commandCheck = drivers.StringCheck("a non-empty shell command (run as written: only the node's shell can judge it further)", func(s string) error {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("the command is empty")
		}
		return nil
	})
)

// checkArgs runs the action's value checks on the request's arguments.
func checkArgs(req drivers.Request) error {
	for _, a := range Actions() {
		if a.Name == req.Action {
			return drivers.CheckArgs(a.Args, req.Args)
		}
	}
	return nil
}
