// Package recovery rehearses the disaster-recovery runbook's data paths
// where they can run on one machine: the tests take what the program
// renders for a stack (under the recording mock) and run the pinned
// upstream binaries on it. It creates no resources and touches no cloud.
package recovery
