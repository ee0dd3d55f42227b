package network

import (
	"fmt"
	"net"

	"github.com/faultline-dev/faultline/drivers"
	"github.com/faultline-dev/faultline/drivers/internal/faultkit"
	"github.com/zclconf/go-cty/cty"
)

// shapes are the values of partition's `shape` ("majority" is an alias of
// majority-minority).
var shapes = []string{ShapeIsolate, ShapeHalves, ShapeMajority, "majority"}

// lossVia are the values of loss's `via`; the first is the default.
var lossVia = []string{"iptables", "netem"}

func percentArg(doc string) drivers.ArgSpec {
	a := arg("percent", cty.Number, "number", true, doc).Between(drivers.Ptr(0), drivers.Ptr(100), false)
	a.MinExclusive = true
	return a
}

// positive makes a duration argument strictly positive.
func positive(a drivers.ArgSpec) drivers.ArgSpec {
	a.Min, a.MinExclusive = drivers.Ptr(0), true
	return a
}

var (
	ifaceCheck = drivers.StringCheck("an interface name: letters, digits, '_', '.', '-'", func(s string) error {
		return faultkit.CheckObjectName("iface", s)
	})
	cidrCheck = drivers.StringCheck(`a CIDR such as "198.18.0.0/24" (or none)`, func(s string) error {
		if s == "" {
			return nil // not declared: the session passes an empty cidr
		}
		if _, _, err := net.ParseCIDR(s); err != nil {
			return fmt.Errorf("%q is not a CIDR such as \"198.18.0.0/24\"", s)
		}
		return nil
	})
	peersCheck = &drivers.ArgCheck{Doc: "IP addresses, CIDRs, host or inventory node names", Func: func(v cty.Value) error {
		if !v.CanIterateElements() {
			return nil
		}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			if e.IsNull() || !e.IsKnown() || e.Type() != cty.String {
				continue
			}
			if _, err := peerAddress(e.AsString()); err != nil && faultkit.CheckObjectName("node", e.AsString()) != nil {
				return err
			}
		}
		return nil
	}}
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
