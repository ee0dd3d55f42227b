// Package e2e runs the built faultline binary end to end against a local
// lab of real nodes (drivers/lab): kill-wait-recover with JUnit checked
// against the Jenkins schema, an interrupted run that rolls back, and a
// loop of SIGKILLed runs that `faultline recover` must clean up, all
// checked from outside the nodes. It holds tests only.
package e2e
