package main

import _ "embed"

// demoScenario is the README's demo: it runs against the cloud block that
// `faultline lab up` writes next to it.
//
//go:embed demo.fl.hcl
var demoScenario []byte
