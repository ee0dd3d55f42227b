// Package all links in every built-in driver: importing it for its side
// effects registers them in drivers.Default. Only cmd/ imports it; tests
// build their own registries.
package all

import (
	_ "github.com/faultline-dev/faultline/drivers/container"
	_ "github.com/faultline-dev/faultline/drivers/network"
	_ "github.com/faultline-dev/faultline/drivers/node"
	_ "github.com/faultline-dev/faultline/drivers/power/ipmi"
	_ "github.com/faultline-dev/faultline/drivers/power/libvirt"
	_ "github.com/faultline-dev/faultline/drivers/power/redfish"
	_ "github.com/faultline-dev/faultline/drivers/service"
)
