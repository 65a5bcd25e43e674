package list

import (
	"strings"
	"testing"
	"time"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
)

// An answer that is not EC2's (a proxy's sign-in page, a buffer of
// padding, bytes that only claim to be gzip) is an error the list names,
// never an empty account.
func TestAnAnswerNotEC2sIsAnErrorNotAnEmptyAccount(t *testing.T) {
	for _, c := range simtest.ProxyAnswers {
		t.Run(c.Name, func(t *testing.T) {
			s := newSim(t, ec2sim.Options{Seed: 1})
			c.Faults.Actions = []string{"DescribeSnapshots"}
			s.srv.SetFaults(c.Faults)
			m := simList(s)
			m.SetSize(200, 24)
			m, _ = settle(m, m.Init())
			v := strings.Join(strings.Fields(m.View()), " ")
			for _, want := range []string{"✗ DescribeSnapshots in us-west-2", "ec2.us-west-2 (" + strings.TrimPrefix(s.url, "http://") + ") " + c.Says[:40]} {
				if !strings.Contains(v, want) {
					t.Errorf("the list does not say %q:\n%s", want, m.View())
				}
			}
			if strings.Contains(v, "no snapshots owned") || m.Snapshots() != 0 {
				t.Errorf("the list reads the answer as data (%d snapshots):\n%s", m.Snapshots(), m.View())
			}
		})
	}
}

// A hung endpoint ends the list's loading with the error line, not a
// spinner without end: every call has its deadline.
func TestAHungEndpointEndsTheLoading(t *testing.T) {
	s := simtest.Start(t, simtest.Setup{Sim: ec2sim.Options{Seed: 1, Clock: ec2sim.NewManualClock(fixedNow),
		Faults: ec2sim.Faults{Hang: ec2sim.Duration(24 * time.Hour), Actions: []string{"DescribeSnapshots"}}},
		Client: func(o *awsops.Options) {
			noRetries(o)
			o.Deadlines = awsops.Deadlines{FirstByte: 300 * time.Millisecond, Operation: time.Second}
		}})
	m := simList(sim{srv: s.Server, client: s.Client, url: s.URL})
	m.SetSize(200, 24)
	m, _ = settle(m, m.Init())
	v := strings.Join(strings.Fields(m.View()), " ")
	if !strings.Contains(v, "✗ DescribeSnapshots in us-west-2") || !strings.Contains(v, "no answer from ec2.us-west-2 (") {
		t.Errorf("the list does not end its loading with the error:\n%s", m.View())
	}
}
