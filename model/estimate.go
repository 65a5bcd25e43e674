package model

// CopyExtent is how much of its snapshot a copy moves and stores.
type CopyExtent int

// The extents of a copy.
const (
	// ExtentUnknown: not known yet whether the copy is full or
	// incremental; the full size is the upper bound.
	ExtentUnknown CopyExtent = iota
	// ExtentFull: the whole snapshot is copied and stored again.
	ExtentFull
	// ExtentIncremental: only what changed since an earlier copy, an
	// amount the API does not tell: at most the full size.
	ExtentIncremental
)

// Token is the extent in machine-readable output.
func (e CopyExtent) Token() string {
	switch e {
	case ExtentFull:
		return "full"
	case ExtentIncremental:
		return "incremental"
	}
	return "unknown"
}

// Quantities are what a copy is billed on ("Copy an Amazon EBS
// snapshot", Pricing; "Time-based copies ...", Pricing and billing).
type Quantities struct {
	// CopiedBytes is the snapshot data the copy moves: for a full copy
	// the snapshot's FullSnapshotSizeInBytes, for an incremental one at
	// most that. The time-based fee is charged on it and, between
	// Regions, the data transfer.
	CopiedBytes int64
	// BetweenRegions: the data leaves the source Region (inter-Region
	// data transfer, billed from the source Region).
	BetweenRegions bool
	// StoredBytes is the snapshot data newly stored in the destination.
	StoredBytes int64
	// AtMost: the bytes are an upper bound (an incremental copy, a copy
	// not known to be full, or a snapshot whose full size AWS did not
	// report, counted at its volume's size).
	AtMost bool
}

// Add is the quantities of two copies together.
func (q Quantities) Add(o Quantities) Quantities {
	return Quantities{
		CopiedBytes:    q.CopiedBytes + o.CopiedBytes,
		BetweenRegions: q.BetweenRegions || o.BetweenRegions,
		StoredBytes:    q.StoredBytes + o.StoredBytes,
		AtMost:         q.AtMost || o.AtMost,
	}
}

// CopyQuantities are the billable quantities of copying src to destRegion.
func CopyQuantities(src Snapshot, destRegion string, extent CopyExtent) Quantities {
	size, exact := src.FullSizeBytes, true
	if size <= 0 {
		size, exact = int64(src.VolumeSizeGiB)<<30, false
	}
	return Quantities{
		CopiedBytes:    size,
		BetweenRegions: destRegion != "" && destRegion != src.Region,
		StoredBytes:    size,
		AtMost:         !exact || extent != ExtentFull,
	}
}

// Charge is one line of an estimate: the bytes billed, the rate, and the
// amount (0 when the rate is not known: the quantity alone is told).
type Charge struct {
	Bytes  int64
	AtMost bool
	Rate   Rate
	USD    float64
}

// GiB is the charge's bytes in GiB.
func (c Charge) GiB() float64 { return float64(c.Bytes) / (1 << 30) }

// charge prices bytes at rate.
func charge(bytes int64, atMost bool, rate Rate) Charge {
	c := Charge{Bytes: bytes, AtMost: atMost, Rate: rate}
	if rate.Known() {
		c.USD = c.GiB() * rate.USD
	}
	return c
}

// plus adds two charges of the same kind; the rate is the first's, or
// marked unknown when they differ (the amount then counts only the
// priced part, and the caller says the batch is partly priced).
func (c Charge) plus(o Charge) Charge {
	rate := c.Rate
	if c.Bytes == 0 {
		rate = o.Rate
	} else if o.Bytes != 0 && o.Rate != c.Rate {
		rate = Rate{}
	}
	return Charge{Bytes: c.Bytes + o.Bytes, AtMost: c.AtMost || o.AtMost, Rate: rate, USD: c.USD + o.USD}
}

// Estimate is what copies are estimated to cost: the time-based fee (for
// a time-based copy), the inter-Region data transfer (between Regions),
// and the storage in the destination per month. Each line names its
// source; every figure is an estimate (list prices, not the bill).
type Estimate struct {
	Quantities Quantities
	// Minutes is the completion duration; 0 for a standard copy.
	Minutes   int32
	TimeBased Charge // zero for a standard copy
	Transfer  Charge // zero within a Region
	Storage   Charge // per month
	// Missing says why a line is a quantity only ("" when all are priced).
	Missing string
}

// EstimateCopy estimates one copy of q's quantities made in minutes (0: a
// standard copy) at rates.
func EstimateCopy(q Quantities, minutes int32, rates Rates) Estimate {
	e := Estimate{Quantities: q, Minutes: minutes, Missing: rates.Missing}
	if minutes > 0 {
		e.TimeBased = TimeBasedFee(q, minutes, rates)
	}
	if q.BetweenRegions {
		e.Transfer = charge(q.CopiedBytes, q.AtMost, rates.Transfer)
	}
	e.Storage = charge(q.StoredBytes, q.AtMost, rates.Storage)
	return e
}

// TimeBasedFee is the time-based copy fee of q's data at minutes; a zero
// rate (not priced) for a duration in no tier.
func TimeBasedFee(q Quantities, minutes int32, rates Rates) Charge {
	rate, _ := rates.TimeBasedRate(minutes)
	return charge(q.CopiedBytes, q.AtMost, rate)
}

// EstimateBatch adds up the estimates of a batch's copies.
func EstimateBatch(copies []Estimate) Estimate {
	var b Estimate
	for i, e := range copies {
		if i == 0 {
			b.Minutes, b.Missing = e.Minutes, e.Missing
		}
		b.Quantities = b.Quantities.Add(e.Quantities)
		b.TimeBased = b.TimeBased.plus(e.TimeBased)
		b.Transfer = b.Transfer.plus(e.Transfer)
		b.Storage = b.Storage.plus(e.Storage)
		if b.Missing == "" {
			b.Missing = e.Missing
		}
	}
	return b
}

// EstimateCopies estimates each copy of sources to destRegion, extents[i]
// being copy i's (ExtentUnknown where missing), made in minutes (0: a
// standard copy) at rates, and the batch they make.
func EstimateCopies(sources []Snapshot, destRegion string, extents []CopyExtent, minutes int32, rates Rates) (copies []Estimate, batch Estimate) {
	for i, s := range sources {
		extent := ExtentUnknown
		if i < len(extents) {
			extent = extents[i]
		}
		copies = append(copies, EstimateCopy(CopyQuantities(s, destRegion, extent), minutes, rates))
	}
	return copies, EstimateBatch(copies)
}
