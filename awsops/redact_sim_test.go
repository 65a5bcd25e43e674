package awsops_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/snapcopy/snapcopy/awsops"
	"github.com/snapcopy/snapcopy/awsops/ec2sim"
	"github.com/snapcopy/snapcopy/awsops/simtest"
	"github.com/snapcopy/snapcopy/model"
	"github.com/snapcopy/snapcopy/model/track"
)

// Canary credentials: none of these may reach a message, a note or the
// state file (the access key id may keep its first 4 characters).
const (
	canaryKeyID  = "AKIACANARYKEY0123456"
	canarySecret = "canarySecret/Zq8vT3xW9pLm2Nk7Yr4Bd6Hs+Q"
	canaryToken  = "IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVzdC0y+CANARYTOKEN7f3a9c/Kq=="
)

// canaryClient signs with the canary credentials.
func canaryClient(o *awsops.Options) {
	creds := credentials.NewStaticCredentialsProvider(canaryKeyID, canarySecret, canaryToken)
	o.StaticCredentials = &creds
}

// signatures records the SigV4 signatures of the requests passing through.
type signatures struct {
	mu   sync.Mutex
	seen []string
}

func (s *signatures) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if i := strings.Index(auth, "Signature="); i >= 0 {
			s.mu.Lock()
			s.seen = append(s.seen, auth[i+len("Signature="):])
			s.mu.Unlock()
		}
		h.ServeHTTP(w, r)
	})
}

func (s *signatures) list() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.seen...)
}

// leaks names the canaries found in text.
func leaks(text string, sigs []string) []string {
	var found []string
	for name, secret := range map[string]string{
		"access key id": canaryKeyID[4:], "secret key": canarySecret,
		"session token": canaryToken, "token canary": "CANARYTOKEN",
	} {
		if strings.Contains(text, secret) {
			found = append(found, name)
		}
	}
	for _, sig := range sigs {
		if strings.Contains(text, sig) {
			found = append(found, "signature "+sig)
		}
	}
	return found
}

// errorTexts is every way an error can be turned into text.
func errorTexts(err error) string {
	if err == nil {
		return ""
	}
	texts := []string{err.Error(), fmt.Sprintf("%v %+v %#v", err, err, err)}
	if ae, ok := model.AsAPIError(err); ok {
		texts = append(texts, ae.Message, ae.Hint(), ae.Err.Error())
	}
	return strings.Join(texts, "\n")
}

// An answer that quotes the request back (SignatureDoesNotMatch with its
// canonical request) reaches no output with a credential in it: not the
// errors, the tracker's status, the copies' notes, nor the state file. The
// copy stays queued with the clock explained, instead of failing.
func TestSignatureMismatchRedactsCredentials(t *testing.T) {
	sigs := &signatures{}
	k := newTrack(t, trackSetup{handler: sigs.wrap, client: canaryClient})
	ctx := context.Background()
	var out strings.Builder
	collect := func(texts ...string) {
		for _, s := range texts {
			out.WriteString(s + "\n")
		}
	}

	// One copy runs before the fault, so polling meets it too.
	running := k.copyTo(k.source(8), "us-east-1")
	queued := k.copyTo(k.source(8), "us-west-2")
	tr := k.tracker(&model.WatchList{}, track.TrackerOptions{})
	if err := tr.Add(running); err != nil {
		t.Fatal(err)
	}
	k.step(tr)
	if err := tr.Add(queued); err != nil {
		t.Fatal(err)
	}

	// AWS's clock is 7 minutes ahead of ours: our clock is behind.
	k.sim.SetFaults(ec2sim.Faults{SignatureMismatch: true, ClockSkew: ec2sim.Duration(7 * time.Minute)})
	for i := 0; i < 3; i++ {
		res := k.step(tr)
		collect(res.Status)
		if i == 0 && (!strings.Contains(res.Status, "the local clock is 7 min behind AWS's: fix the clock (NTP)") || res.Paused) {
			t.Errorf("step %d: status %q paused %v; want the clock named and the Region held, not the tracker paused", i, res.Status, res.Paused)
		}
	}
	for _, c := range tr.Copies() {
		collect(c.Note, c.StateMessage, string(c.Phase))
		if c.RequestID == queued.RequestID && (c.Phase != model.PhaseQueued || !strings.Contains(c.Note, "SignatureDoesNotMatch") || !strings.Contains(c.Note, "7 min behind")) {
			t.Errorf("the copy met by SignatureDoesNotMatch is %s (%q), want queued with the clock explained", c.Phase, c.Note)
		}
	}

	// Every other call that reaches AWS.
	_, err := k.client.ListSnapshots(ctx, "us-west-2", awsops.Owned, nil)
	collect(errorTexts(err))
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Kind != model.ErrSignature || ae.Code != "SignatureDoesNotMatch" || ae.Status != 403 {
		t.Fatalf("list error %#v, want a SignatureDoesNotMatch APIError", err)
	}
	// The redacted answer still shows what AWS quoted.
	for _, want := range []string{"The Canonical String for this request should have been", "x-amz-security-token:[redacted]", "Signature=[redacted]", "Credential=AKIA****/"} {
		if !strings.Contains(ae.Message, want) {
			t.Errorf("AWS's message lost %q:\n%s", want, ae.Message)
		}
	}
	dry, err := k.client.DryRun(ctx, queued.Request)
	collect(dry.Message, errorTexts(err))
	_, err = k.client.KMSAliases(ctx, "us-west-2")
	collect(errorTexts(err))
	if ae, ok := model.AsAPIError(err); !ok || ae.Kind != model.ErrSignature {
		t.Errorf("KMS error %v, want ErrSignature", err)
	}
	_, err = k.client.Regions(ctx)
	collect(errorTexts(err))
	_, err = k.client.EncryptionDefault(ctx, "us-east-1")
	collect(errorTexts(err))

	state, err := os.ReadFile(k.path)
	if err != nil {
		t.Fatal(err)
	}
	collect(string(state))
	if len(sigs.list()) == 0 {
		t.Fatal("no signed request was seen")
	}
	if found := leaks(out.String(), sigs.list()); len(found) > 0 {
		t.Errorf("credentials leaked: %v\n%s", found, out.String())
	}
}

// A snapshot's state message is AWS text too: credentials it quotes are
// redacted in the list and in polling.
func TestStateMessageRedacted(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 3, NoSeedWorld: true}, canaryClient)
	msg := "copy failed: GET https://ec2.us-east-1.amazonaws.com/?Action=CopySnapshot&X-Amz-Credential=" + canaryKeyID +
		"%2F20261124%2Fus-east-1%2Fec2%2Faws4_request&X-Amz-Security-Token=" + canaryToken + "&X-Amz-Signature=0a1b2c3d4e5f; secret " + canarySecret
	simtest.Add(srv, "us-west-2", model.Snapshot{ID: "snap-0000000000000e001", State: model.StateError, StateMessage: msg})

	snaps, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if err != nil || len(snaps) != 1 {
		t.Fatalf("list: %d snapshots, %v", len(snaps), err)
	}
	polled, err := c.PollCopies(context.Background(), "us-west-2", []string{"snap-0000000000000e001"})
	if err != nil {
		t.Fatal(err)
	}
	for _, got := range []string{snaps[0].StateMessage, polled["snap-0000000000000e001"].StateMessage} {
		if found := leaks(got, []string{"0a1b2c3d4e5f"}); len(found) > 0 || !strings.HasPrefix(got, "copy failed: GET https://ec2.us-east-1.amazonaws.com/") {
			t.Errorf("state message %q leaks %v", got, found)
		}
	}
}

// AWS answers a request signed by a clock far from its own RequestExpired:
// the error carries how far the clocks are apart, from the answer's Date,
// and the advice is to fix the clock rather than renew the credentials.
func TestSimExpiredRequestFromASkewedClock(t *testing.T) {
	srv, _, c := simClient(t, ec2sim.Options{Seed: 1})
	srv.SetFaults(ec2sim.Faults{ExpiredCredentials: true, ClockSkew: ec2sim.Duration(7 * time.Minute)})
	_, err := c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	ae, ok := model.AsAPIError(err)
	if !ok || ae.Code != "RequestExpired" || ae.Kind != model.ErrCredentials {
		t.Fatalf("listing with the clock 7 min behind: %v", err)
	}
	if ae.ClockSkew > -6*time.Minute || ae.ClockSkew < -8*time.Minute {
		t.Errorf("ClockSkew %v, want about -7m (the local clock behind AWS's)", ae.ClockSkew)
	}
	if got := model.Explain(err); !strings.Contains(got, "the local clock is 7 min behind AWS's: fix the clock (NTP)") || strings.Contains(got, "renew them") {
		t.Errorf("Explain = %q", got)
	}

	// The same answer without skew is expired credentials, as before.
	srv.SetFaults(ec2sim.Faults{ExpiredCredentials: true})
	_, err = c.ListSnapshots(context.Background(), "us-west-2", awsops.Owned, nil)
	if got := model.Explain(err); !strings.Contains(got, "renew them") {
		t.Errorf("without skew: Explain = %q", got)
	}
}
