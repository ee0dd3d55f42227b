// Package testpoll lets tests wait for a condition instead of sleeping:
// a sleep that is long enough on an idle laptop is too short on a loaded
// 2-CPU CI machine, and needlessly long everywhere else.
//
// Until polls a condition until it holds or a deadline passes; it is for
// tests only and has no dependencies beyond the standard library.
package testpoll
