package ec2sim

import (
	"fmt"
	"math/rand"
)

// copyIDs hands out the ids of new copies from the world's seed. The state
// file keeps how many were handed out, and a simulator started again from
// it draws past those first, so it goes on where it stopped instead of
// handing the same ids out again (to a copy in another Region, or after
// the first was deleted). Draws are 64 bits: a repeat within one world is
// as unlikely as AWS's own, and a draw that names a snapshot the world
// holds is skipped (see Server.idTaken).
type copyIDs struct {
	r      *rand.Rand
	issued uint64
}

func newCopyIDs(seed int64) *copyIDs {
	return &copyIDs{r: rand.New(rand.NewSource(seed ^ 0x5eed1d5))}
}

// skip draws past the first n ids, handed out before a restart.
func (c *copyIDs) skip(n uint64) {
	for c.issued < n {
		c.id()
	}
}

// id returns the next id: "snap-0" and 16 hex digits, as AWS's are.
func (c *copyIDs) id() string {
	c.issued++
	return fmt.Sprintf("snap-0%016x", c.r.Uint64())
}
