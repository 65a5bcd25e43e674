package awsops

import "time"

// SetPriceClock sets the clock that tells the Price List's day, for a test.
func SetPriceClock(c *Client, now func() time.Time) {
	c.prices.mu.Lock()
	defer c.prices.mu.Unlock()
	c.prices.now = now
}
