package validate

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/snapcopy/snapcopy/model"
)

// ScheduleForms says how a schedule is written, for messages and help.
const ScheduleForms = "every N hours (12h; N one of 1, 2, 3, 4, 6, 8, 12, 24), from a UTC time (12h@01:00), " +
	"daily at a UTC time (daily@03:00) or a cron expression (cron(0 3 * * ? *))"

var (
	dlmTimeRe    = regexp.MustCompile(`^(0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]$`)
	dlmCronRe    = regexp.MustCompile(`^cron\([^\n]{11,100}\)$`)
	hoursRe      = regexp.MustCompile(`^(?:every\s*)?(\d+)\s*(?:h|hours?)$`)
	ageRe        = regexp.MustCompile(`^(\d+)\s*([a-z]*)$`)
	accountIDRe  = regexp.MustCompile(`^[0-9]{12}$`)
	roleNameRe   = regexp.MustCompile(`^[\w+=,.@-]{1,64}$`)
	dlmRoleArnRe = regexp.MustCompile(`^arn:aws(-[a-z]{1,3}){0,2}:iam::\d+:role/.+$`)
)

// Schedule reads when a policy makes snapshots (ScheduleForms): DLM's
// interval is in hours, so "daily" is every 24 hours, from a start time.
func Schedule(typed string) (model.Recurrence, []Problem) {
	s := strings.ToLower(strings.TrimSpace(typed))
	if s == "" {
		return model.Recurrence{}, []Problem{errorf(FieldSchedule, "Schedule is required: %s", ScheduleForms)}
	}
	if strings.HasPrefix(s, "cron") {
		cron := strings.TrimSpace(typed)
		return model.Recurrence{Cron: cron}, Cron(cron)
	}
	every, at, _ := strings.Cut(s, "@")
	every = strings.TrimSpace(every)
	var r model.Recurrence
	switch m := hoursRe.FindStringSubmatch(every); {
	case every == "daily" || every == "every day":
		r.Hours = 24
	case m != nil:
		r.Hours, _ = strconv.Atoi(m[1])
		if !slices.Contains(dlmIntervals, r.Hours) {
			return r, []Problem{errorf(FieldSchedule, "Schedule: DLM makes snapshots every 1, 2, 3, 4, 6, 8, 12 or 24 hours, not every %s; a cron expression does other times", every)}
		}
	default:
		return r, []Problem{errorf(FieldSchedule, "Schedule %s is not one of: %s", quote(typed), ScheduleForms)}
	}
	if at = strings.TrimSpace(at); at != "" {
		if len(at) == 4 && at[1] == ':' {
			at = "0" + at // 3:00 is 03:00
		}
		if !dlmTimeRe.MatchString(at) {
			return r, []Problem{errorf(FieldSchedule, "Schedule: the start time must be a UTC time hh:mm (00:00 to 23:59), not %s", quote(at))}
		}
		r.At = at
	}
	return r, nil
}

// cronField is one field of an EventBridge cron expression: its range and
// the names and special characters it takes.
type cronField struct {
	name     string
	lo, hi   int
	names    []string // 1-based names (JAN…, SUN…)
	question bool     // ? allowed
	special  string   // other characters allowed after a value: L, W, #
}

var cronFields = []cronField{
	{name: "minutes", lo: 0, hi: 59},
	{name: "hours", lo: 0, hi: 23},
	{name: "day-of-month", lo: 1, hi: 31, question: true, special: "LW"},
	{name: "month", lo: 1, hi: 12, names: []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}},
	{name: "day-of-week", lo: 1, hi: 7, names: []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}, question: true, special: "L#"},
	{name: "year", lo: 1970, hi: 2199},
}

// Cron checks a cron expression as DLM takes it: DLM's pattern
// (cron(…), 11 to 100 characters inside), EventBridge's six fields
// (minutes hours day-of-month month day-of-week year, one of the two days
// a ?), and DLM's least interval, an hour: the minutes one value.
func Cron(expr string) []Problem {
	bad := func(format string, args ...any) []Problem {
		return []Problem{errorf(FieldSchedule, "Schedule %s: %s", quote(expr), fmt.Sprintf(format, args...))}
	}
	if !dlmCronRe.MatchString(expr) {
		return bad("a cron expression is cron(…) with 11 to 100 characters inside, such as cron(0 3 * * ? *)")
	}
	fields := strings.Fields(expr[len("cron(") : len(expr)-1])
	if len(fields) != len(cronFields) {
		return bad("a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), not %d", len(fields))
	}
	if (fields[2] == "?") == (fields[4] == "?") {
		return bad("one of day-of-month and day-of-week must be ? (and only one)")
	}
	for i, f := range fields {
		if why := cronFields[i].check(f); why != "" {
			return bad("%s %s", cronFields[i].name, why)
		}
	}
	// UNCONFIRMED: DLM documents a cron schedule's interval as 1 hour to
	// 1 year, not how it measures it; minutes of one value is the reading
	// that keeps every expression at most hourly.
	if _, err := strconv.Atoi(fields[0]); err != nil {
		return bad("DLM makes snapshots at most once an hour: minutes must be one number (0-59), not %s", quote(fields[0]))
	}
	return nil
}

// check is "" when v is a valid value of the field, else why not.
func (c cronField) check(v string) string {
	if v == "?" {
		if c.question {
			return ""
		}
		return "does not take ?"
	}
	for _, part := range strings.Split(v, ",") {
		rng, step, stepped := strings.Cut(part, "/")
		if stepped {
			if n, err := strconv.Atoi(step); err != nil || n < 1 {
				return fmt.Sprintf("step %s is not a whole number from 1", quote(step))
			}
		}
		if rng == "*" {
			continue
		}
		lo, hi, isRange := strings.Cut(rng, "-")
		if why := c.value(lo); why != "" {
			return why
		}
		if isRange {
			if why := c.value(hi); why != "" {
				return why
			}
		}
	}
	return ""
}

// value checks one value of the field: a number in range, a name, or a
// value with the field's special characters (L, W, #).
func (c cronField) value(v string) string {
	if v == "" {
		return "has an empty value"
	}
	u := strings.ToUpper(v)
	if slices.Contains(c.names, u) {
		return ""
	}
	if c.special != "" {
		if u == "L" || u == "LW" && strings.Contains(c.special, "W") {
			return ""
		}
		if before, after, ok := strings.Cut(u, "#"); ok && strings.Contains(c.special, "#") {
			if n, err := strconv.Atoi(after); err != nil || n < 1 || n > 5 {
				return fmt.Sprintf("%s: the week after # is 1 to 5", quote(v))
			}
			u = before
		}
		u = strings.TrimRight(u, c.special)
		if slices.Contains(c.names, u) {
			return ""
		}
	}
	n, err := strconv.Atoi(u)
	if err != nil || n < c.lo || n > c.hi {
		return fmt.Sprintf("%s is not from %d to %d", quote(v), c.lo, c.hi)
	}
	return ""
}

// Retain reads how long the policy keeps its snapshots at the source: a
// count (14) or an age (30d, 4w, 6m, 1y).
func Retain(typed string) (model.Retention, []Problem) {
	s := strings.ToLower(strings.TrimSpace(typed))
	if s == "" {
		return model.Retention{}, []Problem{errorf(FieldRetain, "Retain at source is required: how many snapshots to keep (14) or for how long (14d, 4w, 6m, 1y)")}
	}
	if n, err := strconv.Atoi(s); err == nil {
		if n < 1 || n > MaxDLMRetainCount {
			return model.Retention{}, []Problem{errorf(FieldRetain, "Retain at source: DLM keeps from 1 to %d snapshots, not %d", MaxDLMRetainCount, n)}
		}
		return model.Retention{Count: n}, nil
	}
	age, ps := readAge(FieldRetain, "Retain at source", typed)
	return model.Retention{Age: age}, ps
}

// DestRetain reads how long copies stay at the destination: DLM's
// cross-Region retain rule is by age only.
func DestRetain(typed string) (model.Age, []Problem) {
	s := strings.TrimSpace(typed)
	if s == "" {
		return model.Age{}, []Problem{errorf(FieldDestRetain, "Retain at destination is required: how long DLM keeps each copy (14d, 4w, 6m, 1y)")}
	}
	if n, err := strconv.Atoi(s); err == nil {
		return model.Age{}, []Problem{errorf(FieldDestRetain, "Retain at destination is by age only: DLM's cross-Region copy rule keeps copies for a time, not a count; write %dd for %d days", n, n)}
	}
	return readAge(FieldDestRetain, "Retain at destination", typed)
}

// readAge reads N and a unit (d, w, m, y, or the words) within DLM's
// 100 years.
func readAge(f Field, what, typed string) (model.Age, []Problem) {
	m := ageRe.FindStringSubmatch(strings.ToLower(strings.TrimSpace(typed)))
	if m == nil {
		return model.Age{}, []Problem{errorf(f, "%s %s is not a count (14) or an age (14d, 4w, 6m, 1y)", what, quote(typed))}
	}
	var unit model.AgeUnit
	switch m[2] {
	case "d", "day", "days":
		unit = model.Days
	case "w", "week", "weeks":
		unit = model.Weeks
	case "m", "mo", "month", "months":
		unit = model.Months
	case "y", "year", "years":
		unit = model.Years
	default:
		return model.Age{}, []Problem{errorf(f, "%s: the unit %s is not d, w, m or y (days, weeks, months, years)", what, quote(m[2]))}
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n < 1 || n > dlmAgeMax[unit] {
		return model.Age{}, []Problem{errorf(f, "%s: DLM keeps from 1 to %d %s (100 years), not %s", what, dlmAgeMax[unit], strings.ToLower(string(unit)), m[1])}
	}
	return model.Age{N: n, Unit: unit}, nil
}
