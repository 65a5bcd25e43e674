package ec2sim

import (
	"encoding/json"
	"reflect"
	"strconv"
	"time"
)

// Duration is a time.Duration in the faults' JSON: written as a duration
// string ("250ms", "-7m0s"), read from one or from a number of
// nanoseconds.
type Duration time.Duration

// String is the duration as time.Duration writes it.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalJSON writes the duration string.
func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads a duration string or a number of nanoseconds; null
// leaves the duration as it is, as encoding/json does for other types.
func (d *Duration) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		v, err := time.ParseDuration(s)
		if err != nil {
			return badDuration(strconv.Quote(s))
		}
		*d = Duration(v)
		return nil
	}
	var n int64
	if err := json.Unmarshal(b, &n); err != nil {
		return badDuration(string(b))
	}
	*d = Duration(n)
	return nil
}

// badDuration is a type error, so that encoding/json names the field.
func badDuration(value string) error {
	return &json.UnmarshalTypeError{
		Value: value + ` (want a duration such as "250ms" or a number of nanoseconds)`,
		Type:  reflect.TypeFor[Duration](),
	}
}
