//go:build unix

package list

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time the process has used (all threads, user and
// system). Benchmarks report it beside wall time because this machine is
// shared: wall time grows with other work, CPU time hardly does.
func cpuTime() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
