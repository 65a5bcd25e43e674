package cmd

import "time"

// DefaultGiveUp is how long `snapcopy copy` and `watch --plain` go on
// while AWS gives no answer at all (a hung endpoint, a silent listener, a
// proxy in its place) before they stop with exit 1 (--give-up): long
// enough for a network to come back, short enough that a script does not
// hang a night. The copies go on in AWS and stay in the state file.
const DefaultGiveUp = 10 * time.Minute
