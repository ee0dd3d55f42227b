// Package fake is an in-memory fault driver for tests: a drivers.Driver
// (with Revert, drivers.StateReader and drivers.Discoverer) that records
// every call, tracks per-node object state, and can be told to fail or be
// slow per action and per node. Registry builds a drivers.Registry with
// fake definitions for every family (service, container, node, network,
// power) under the built-in driver names, so planner and executor tests
// can run whole scenarios without a single node.
//
// It is NOT a simulator of real services or hosts and never touches the
// network or the OS; tests that claim a real driver works must not use it.
package fake
