// Package lab starts the real daemons the power drivers' integration tests
// run against: a private libvirtd (own mount namespace, own socket and
// state under a temp dir), an IPMI simulator, a Linux bridge, each torn
// down by PID or by name when the test ends.
//
// It is test support only: nothing outside _test.go files imports it, and
// it never touches processes or links it did not create.
package lab
