package power

import (
	"fmt"

	"github.com/faultline-dev/faultline/drivers"
)

// Intent implements drivers.Driver: the inverse of req before any request
// reaches a controller. Units are resolved again at revert time from the
// inventory (the answer narrows the undo to the units that changed, with
// their resolved names). A revert of the intent alone powers every
// targeted unit on: a unit that was already off before the run is powered
// on too, which a crash before the answer cannot tell apart.
func (d *Driver) Intent(req drivers.Request) (*drivers.Undo, error) {
	spec, err := d.action(req.Action)
	if err != nil || spec.Inverse == "" {
		return nil, err
	}
	state := map[string]string{}
	if spec.Name == VerbSnapshot || spec.Name == VerbRevert {
		name, err := snapshotName(req.Args)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", spec.Name, err)
		}
		state[ArgName] = name
	}
	return &drivers.Undo{Family: drivers.FamilyPower, Object: d.o.Object, Action: spec.Inverse,
		Nodes: drivers.Names(req.Nodes), State: state}, nil
}
