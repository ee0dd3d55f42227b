package sentence

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/faultline-dev/faultline/scenario"
)

// FormatSelector renders a selector as the HCL expression that would
// declare it, e.g. one(running(service.mysql)).
func FormatSelector(s *scenario.Selector) string {
	if s == nil {
		return "default"
	}
	var args []string
	switch s.Op {
	case scenario.SelCount, scenario.SelPercent:
		args = append(args, strconv.FormatFloat(s.N, 'f', -1, 64))
	case scenario.SelNodes, scenario.SelFQDNs, scenario.SelLabel:
		for _, v := range s.Values {
			args = append(args, strconv.Quote(v))
		}
	case scenario.SelRunning:
		if s.Object != nil {
			args = append(args, s.Object.Kind+"."+s.Object.Name)
		}
	}
	for _, o := range s.Of {
		args = append(args, FormatSelector(o))
	}
	return fmt.Sprintf("%s(%s)", s.Op, strings.Join(args, ", "))
}

// String renders the command compactly: verb, target, nodes, duration.
func (c *Command) String() string {
	t := c.Target.Kind
	if c.Target.Name != "" {
		t += "." + c.Target.Name
	}
	s := fmt.Sprintf("%s %s nodes=%s", c.Verb, t, FormatSelector(c.Nodes))
	if c.StressKind != "" {
		s += " kind=" + c.StressKind
	}
	if c.Duration > 0 {
		s += " for=" + c.Duration.String()
	}
	return s
}
