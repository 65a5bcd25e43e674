package ec2sim

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
)

func TestDurationJSON(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Duration
	}{
		{`"250ms"`, Duration(250 * time.Millisecond)},
		{`"-7m"`, Duration(-7 * time.Minute)},
		{`"1h15m"`, Duration(75 * time.Minute)},
		{`1000000`, Duration(time.Millisecond)},
		{`0`, 0},
	} {
		var d Duration
		if err := json.Unmarshal([]byte(tc.in), &d); err != nil || d != tc.want {
			t.Errorf("%s read as %v, %v; want %v", tc.in, d, err, tc.want)
		}
	}
	if b, err := json.Marshal(Duration(1500 * time.Millisecond)); err != nil || string(b) != `"1.5s"` {
		t.Errorf("1.5s written as %s, %v", b, err)
	}
	for _, bad := range []string{`"soon"`, `true`, `1.5`, `"5"`} {
		var d Duration
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("%s read as %v without an error", bad, d)
		}
	}
}

// Every knob of Faults has a camelCase JSON name and comes back from its
// JSON as it went in: a new knob cannot be left out of the control
// endpoint.
func TestFaultsJSONRoundTripsEveryField(t *testing.T) {
	var f Faults
	v := reflect.ValueOf(&f).Elem()
	for i := 0; i < v.NumField(); i++ {
		field := v.Type().Field(i)
		name, _, _ := strings.Cut(field.Tag.Get("json"), ",")
		if name == "" || name == "-" || !unicode.IsLower(rune(name[0])) {
			t.Errorf("Faults.%s has JSON name %q, want a camelCase name", field.Name, name)
		}
		fv := v.Field(i)
		switch fv.Kind() {
		case reflect.Bool:
			fv.SetBool(true)
		case reflect.Int, reflect.Int64:
			fv.SetInt(int64(3 + i))
		case reflect.Float64:
			fv.SetFloat(0.25)
		case reflect.String:
			fv.SetString("snap-3*")
		case reflect.Slice:
			fv.Set(reflect.ValueOf([]string{"CopySnapshot"}))
		default:
			t.Fatalf("Faults.%s: set it in this test", field.Name)
		}
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	var back Faults
	if err := json.Unmarshal(b, &back); err != nil || !reflect.DeepEqual(back, f) {
		t.Fatalf("%s read back as %+v, %v; want %+v", b, back, err, f)
	}
	var raw map[string]any
	if err := json.Unmarshal(b, &raw); err != nil || raw["latency"] != Duration(f.Latency).String() {
		t.Errorf("latency written as %v, want the duration string", raw["latency"])
	}
}
