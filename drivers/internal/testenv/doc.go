// Package testenv decides whether an integration test may run on this
// machine: it skips a test whose prerequisite (root, a binary, a daemon) is
// missing, except under CI (env CI=true), where a missing prerequisite is a
// failure, so integration tests never silently vanish from CI.
//
// It is not a fixture library: it starts nothing and cleans nothing up.
package testenv
