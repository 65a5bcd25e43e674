package model

// Tally counts copies by phase: the one rule every screen, plain mode and
// the exit code use to say how many copies are running, done or failed
// (the header of the list and the progress pane alike).
type Tally struct {
	Queued    int // not sent yet (or waiting for room in its Region)
	Sending   int // sent, AWS's answer not known yet
	Starting  int // accepted, not yet listed by DescribeSnapshots
	Running   int
	Completed int
	Failed    int
	Cancelled int
}

// TallyOf counts copies by phase, each request once: of a copy retried
// (R) or edited and sent again (E), only its latest attempt is counted,
// so a copy that failed and then succeeded counts as done. An attempt
// whose retry is not among copies (forgotten) is counted itself.
func TallyOf(copies []Copy) Tally {
	retried := map[string]bool{}
	for i := range copies {
		if r := copies[i].RetryOf; r != "" {
			retried[r] = true
		}
	}
	var t Tally
	for i := range copies {
		if !retried[copies[i].RequestID] {
			t.add(copies[i].Phase)
		}
	}
	return t
}

func (t *Tally) add(p Phase) {
	switch p {
	case PhaseQueued:
		t.Queued++
	case PhaseSending:
		t.Sending++
	case PhaseStarting:
		t.Starting++
	case PhaseRunning:
		t.Running++
	case PhaseCompleted:
		t.Completed++
	case PhaseFailed:
		t.Failed++
	case PhaseCancelled:
		t.Cancelled++
	}
}

// Total is every copy counted.
func (t Tally) Total() int {
	return t.Queued + t.Sending + t.Starting + t.Running + t.Completed + t.Failed + t.Cancelled
}

// Unfinished counts the copies not yet completed, failed or cancelled (Phase.Done).
func (t Tally) Unfinished() int { return t.Queued + t.Sending + t.Starting + t.Running }

// Unconfirmed counts the copies AWS has not yet accepted: queued, or sent
// without a known answer. Quitting now leaves them to the next run.
func (t Tally) Unconfirmed() int { return t.Queued + t.Sending }

// Ended counts the completed, failed and cancelled copies.
func (t Tally) Ended() int { return t.Completed + t.Failed + t.Cancelled }
