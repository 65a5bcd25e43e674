package model

// DefaultTimeBasedQuotaMiBps is AWS's default cumulative throughput of the
// concurrent time-based copies between one source and one destination
// Region ("Time-based copies for Amazon EBS snapshots and EBS-backed
// AMIs", Quotas); adjustable through Service Quotas.
const DefaultTimeBasedQuotaMiBps = 2000

// TimeBasedQuotaCode is that quota's code in Service Quotas (service "ebs").
const TimeBasedQuotaCode = "L-E137849C"

// ThroughputQuota is the account's cumulative time-based copy throughput
// for one Region pair.
type ThroughputQuota struct {
	MiBps float64
	// Default is true when Service Quotas could not be read (denied or
	// unavailable) and AWS's documented default is assumed.
	Default bool
}
