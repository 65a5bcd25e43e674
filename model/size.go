package model

import "strconv"

// FormatBytes is a byte count as every screen prints it: in GiB, the unit
// AWS gives volume sizes in, so a snapshot's full size reads beside its
// volume size ("500 GiB", full "120 GiB") and the list, the form and the
// messages never print one size two ways. Whole GiB from 10 up, one
// decimal below.
func FormatBytes(n int64) string {
	gib := float64(n) / (1 << 30)
	switch {
	case n > 0 && gib < 0.05:
		return "<0.1 GiB"
	case gib >= 10:
		return strconv.FormatFloat(gib, 'f', 0, 64) + " GiB"
	}
	return strconv.FormatFloat(gib, 'f', 1, 64) + " GiB"
}
