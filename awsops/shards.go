package awsops

import (
	"context"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	"github.com/aws/aws-sdk-go-v2/service/ec2/types"

	"github.com/snapcopy/snapcopy/model"
)

// FallbackNote is what a listing says, once, when it pages sequentially
// because its shards disagreed with the plain first page.
const FallbackNote = "listing page by page: this endpoint's snapshot-id filter did not split the listing as expected"

// ListPage is one page of a Listing, in the order pages arrived.
type ListPage struct {
	Snapshots []model.Snapshot
	// Pages is how many DescribeSnapshots pages were read so far.
	Pages int
	// Shards is how many shards the listing reads at once (0: one paginator).
	Shards int
	// Note, on one page only, says the listing fell back to sequential paging.
	Note string
	// Stopped, on a page of its own, is why one shard ended early: AWS's
	// answer for one of its pages could not be decoded. The other shards
	// go on; when they have ended, Next returns the first such error, as
	// the listing is not complete.
	Stopped error
	// Done marks the last page: the listing is complete.
	Done bool
}

// Listing reads one Region's snapshots in shards fetched concurrently,
// with the plain paginator's first page as a check, and hands out pages as
// they arrive. No snapshot is handed out twice.
type Listing struct {
	c      *Client
	region string
	scope  Scope
	out    chan listEvent
	done   bool
	start  sync.Once
	ctx    context.Context
	share  chan struct{} // the listing's part of the Region's budget
	// own is the caller's account in a shared listing, whose snapshots
	// AWS returns with the shared ones and Next leaves out. Set by run
	// before its first event, so Next reads it after the channel.
	own string
}

type listEvent struct {
	page ListPage
	err  error
}

// ListInShards returns a listing of region in scope: the first Next starts
// it. Cancel ctx to stop it.
func (c *Client) ListInShards(ctx context.Context, region string, scope Scope) *Listing {
	return &Listing{c: c, region: region, scope: scope, ctx: ctx, out: make(chan listEvent, RegionRequestBudget),
		share: make(chan struct{}, RegionRequestBudget-1)}
}

// Next waits for the next page. After a page with Done, or an error, the
// listing is over: an error means it is not complete, and the snapshots
// handed out before it are all it has.
func (l *Listing) Next(ctx context.Context) (ListPage, error) {
	if l.done {
		return ListPage{Done: true}, nil
	}
	l.start.Do(func() { go l.run(l.ctx) })
	select {
	case ev, ok := <-l.out:
		if !ok {
			l.done = true
			return ListPage{Done: true}, ctx.Err()
		}
		if ev.err != nil || ev.page.Done {
			l.done = true
		}
		ev.page.Snapshots = leaveOut(ev.page.Snapshots, l.own)
		return ev.page, ev.err
	case <-ctx.Done():
		return ListPage{}, ctx.Err()
	}
}

// input is a DescribeSnapshots request of the listing's scope.
func (l *Listing) input(filters []types.Filter) *ec2.DescribeSnapshotsInput {
	return scopeInput(l.scope, filters)
}

// send hands an event to Next, unless the listing was cancelled.
func (l *Listing) send(ctx context.Context, ev listEvent) bool {
	select {
	case l.out <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// scopeInput is a DescribeSnapshots request of pages of PageSize in scope.
func scopeInput(scope Scope, filters []types.Filter) *ec2.DescribeSnapshotsInput {
	in := &ec2.DescribeSnapshotsInput{MaxResults: aws.Int32(PageSize), Filters: filters}
	if scope == SharedWithMe {
		in.RestorableByUserIds = []string{"self"}
	} else {
		in.OwnerIds = []string{"self"}
	}
	return in
}

// stopsOnlyItsShard reports whether err ends one shard and not the listing:
// a success answer that could not be decoded (a character XML cannot
// carry, in one snapshot's description) holds data of that shard alone,
// and asking again brings the same answer. Any other error (a refusal,
// throttling past the retries, an endpoint out of reach) is the Region's
// or the account's, and ends the listing.
func stopsOnlyItsShard(err error) bool {
	ae, ok := model.AsAPIError(err)
	return ok && ae.Kind == model.ErrUndecodable && ae.Status/100 == 2
}

// shardPage is what a shard (or the check) read: one page, or its end.
type shardPage struct {
	shard int // -1: the check page
	snaps []model.Snapshot
	next  *string
	last  bool
	err   error
}

// run drives the shards and the check, then falls back if it must.
func (l *Listing) run(ctx context.Context) {
	defer close(l.out)
	if l.scope == SharedWithMe {
		own, err := l.c.ownAccountIn(ctx, l.region)
		if err != nil {
			l.send(ctx, listEvent{err: err})
			return
		}
		l.own = own
	}
	prefixes := shardValues()
	shardCtx, stopShards := context.WithCancel(ctx)
	defer stopShards()
	events := make(chan shardPage, len(prefixes)+1)
	var wg sync.WaitGroup
	for i, p := range prefixes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.readShard(shardCtx, i, p, events)
		}()
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		out, err := l.c.describePage(shardCtx, l.region, l.input(nil), shardRetries, l.share)
		ev := shardPage{shard: -1, err: err}
		if err == nil {
			ev.snaps, ev.next = l.c.toSnapshots(out.Snapshots, l.region), out.NextToken
		}
		select {
		case events <- ev:
		case <-shardCtx.Done():
		}
	}()
	go func() {
		wg.Wait()
		close(events)
	}()

	seen := make(map[string]struct{})
	finished := make([]bool, len(prefixes))
	left, pages := len(prefixes), 0
	var check *shardPage
	checked := false  // the check page was read, or could not be decoded
	var stopped error // the first error that ended a shard early
	fallback := ""
	// stop tells Next that a shard (or the check) ended early with err.
	stop := func(err error) bool {
		if stopped == nil {
			stopped = err
		}
		return l.send(ctx, listEvent{page: ListPage{Pages: pages, Shards: len(prefixes), Stopped: err}})
	}
	// missing reports whether a check id is absent from a finished shard.
	missing := func() bool {
		if check == nil {
			return false
		}
		for _, s := range check.snaps {
			k := shardOf(s.ID)
			if k < 0 {
				return true
			}
			if _, ok := seen[s.ID]; !ok && finished[k] {
				return true
			}
		}
		return false
	}
	for ev := range events {
		if ev.shard < 0 {
			checked = true
			switch {
			case ev.err != nil && stopsOnlyItsShard(ev.err):
				// The shards go on unchecked: without wildcards they come
				// back empty, as sequential paging would stop at once.
				if !stop(ev.err) {
					return
				}
			case ev.err != nil:
				l.send(ctx, listEvent{err: ev.err})
				return
			default:
				pages++
				e := ev
				check = &e
			}
		} else {
			if ev.err != nil {
				if ae, ok := model.AsAPIError(ev.err); ok && ae.Kind == model.ErrInvalid {
					// The endpoint refuses the shard filter: page plainly.
					fallback = FallbackNote
					break
				}
				if !stopsOnlyItsShard(ev.err) {
					l.send(ctx, listEvent{err: ev.err})
					return
				}
				// Not finished: the check's ids in it are not missing.
				left--
				if !stop(ev.err) {
					return
				}
			} else if ev.last {
				finished[ev.shard] = true
				left--
			} else {
				pages++
				fresh := ev.snaps[:0]
				for _, s := range ev.snaps {
					if _, dup := seen[s.ID]; !dup {
						seen[s.ID] = struct{}{}
						fresh = append(fresh, s)
					}
				}
				if len(fresh) > 0 && !l.send(ctx, listEvent{page: ListPage{Snapshots: fresh, Pages: pages, Shards: len(prefixes)}}) {
					return
				}
			}
		}
		if missing() {
			fallback = FallbackNote
			break
		}
		if left == 0 && checked {
			l.send(ctx, listEvent{page: ListPage{Pages: pages, Shards: len(prefixes), Done: stopped == nil}, err: stopped})
			return
		}
	}
	if fallback == "" {
		return // ctx was cancelled
	}
	stopShards()
	for range events { // let every shard and the check stop
	}
	l.sequential(ctx, check, seen, pages)
}

// sequential pages plainly from the start (reusing the check page when it
// was read), handing out only snapshots not handed out before.
func (l *Listing) sequential(ctx context.Context, check *shardPage, seen map[string]struct{}, pages int) {
	note := FallbackNote
	emit := func(snaps []model.Snapshot, done bool) bool {
		fresh := snaps[:0]
		for _, s := range snaps {
			if _, dup := seen[s.ID]; !dup {
				seen[s.ID] = struct{}{}
				fresh = append(fresh, s)
			}
		}
		if len(fresh) == 0 && note == "" && !done {
			return true
		}
		if !l.send(ctx, listEvent{page: ListPage{Snapshots: fresh, Pages: pages, Note: note, Done: done}}) {
			return false
		}
		note = ""
		return true
	}
	in := l.input(nil)
	if check != nil {
		if !emit(check.snaps, aws.ToString(check.next) == "") || aws.ToString(check.next) == "" {
			return
		}
		in.NextToken = check.next
	}
	for {
		out, err := l.c.describePage(ctx, l.region, in, shardRetries, l.share)
		if err != nil {
			l.send(ctx, listEvent{err: err})
			return
		}
		pages++
		last := aws.ToString(out.NextToken) == ""
		if !emit(l.c.toSnapshots(out.Snapshots, l.region), last) || last {
			return
		}
		in.NextToken = out.NextToken
	}
}
