//go:build race

package main_test

// raceEnabled tells the process test to build ledgerd with the race detector too.
const raceEnabled = true
