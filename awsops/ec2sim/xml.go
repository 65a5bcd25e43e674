package ec2sim

import (
	"strconv"
	"time"
	"unicode/utf8"
)

const ec2Namespace = "http://ec2.amazonaws.com/doc/2016-11-15/"

// xmlWriter builds an EC2 answer by appending to one buffer: a page of 1000
// snapshots is encoded without reflection.
type xmlWriter struct {
	b []byte
	// rawControls writes C0 control characters as they are, as moto does:
	// the answer is then not well-formed XML (Faults.RawControlCharacters).
	rawControls bool
	// offset moves every time written to AWS's clock (Faults.ClockOffset).
	offset time.Duration
}

// newXMLWriter starts the answer to rq with its root element and request id.
func newXMLWriter(rq *request, root string, sizeHint int) *xmlWriter {
	w := &xmlWriter{b: make([]byte, 0, sizeHint), offset: rq.offset}
	w.b = append(w.b, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<"...)
	w.b = append(w.b, root...)
	w.b = append(w.b, ` xmlns="`+ec2Namespace+`">`...)
	w.text("requestId", rq.id)
	return w
}

func (w *xmlWriter) open(name string) {
	w.b = append(w.b, '<')
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

func (w *xmlWriter) close(name string) {
	w.b = append(w.b, '<', '/')
	w.b = append(w.b, name...)
	w.b = append(w.b, '>')
}

func (w *xmlWriter) text(name, v string) {
	w.open(name)
	if w.rawControls {
		w.b = appendRawControls(w.b, v)
	} else {
		w.b = appendEscaped(w.b, v)
	}
	w.close(name)
}

// textIf writes the element only when v is not empty, as AWS leaves out
// fields a resource does not have.
func (w *xmlWriter) textIf(name, v string) {
	if v != "" {
		w.text(name, v)
	}
}

func (w *xmlWriter) int(name string, v int64) {
	w.open(name)
	w.b = strconv.AppendInt(w.b, v, 10)
	w.close(name)
}

func (w *xmlWriter) bool(name string, v bool) {
	w.open(name)
	w.b = strconv.AppendBool(w.b, v)
	w.close(name)
}

// awsTimeLayout is how EC2 writes a time: ISO 8601 with milliseconds.
const awsTimeLayout = "2006-01-02T15:04:05.000Z"

// time writes a time on AWS's clock.
func (w *xmlWriter) time(name string, t time.Time) {
	if t.IsZero() {
		return
	}
	w.open(name)
	w.b = t.Add(w.offset).UTC().AppendFormat(w.b, awsTimeLayout)
	w.close(name)
}

func (w *xmlWriter) finish(root string) []byte {
	w.close(root)
	return w.b
}

// appendEscaped appends s as XML character data.
//
// Descriptions may hold C0 control characters (a seeded one has ESC and
// BEL). XML 1.0 cannot carry them, raw or as character references, and both
// clients refuse them: the Go SDK's encoding/xml checks every decoded
// character ("illegal character code U+001B"), as does botocore's expat
// ("reference to invalid character number"). So the closest faithful form
// that still reaches the client as control characters is written: an escape
// sequence ESC followed by 0x40-0x5F becomes its 8-bit C1 form (ESC [ is
// CSI, U+009B; ESC ] is OSC, U+009D), which XML allows and terminals obey
// just the same; any other C0 control (BEL) becomes U+FFFD. Tab and newline
// pass raw, CR as &#xD; (a raw one would be read back as a newline), and
// invalid UTF-8 becomes U+FFFD.
func appendEscaped(b []byte, s string) []byte {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == '&' || c == '<' || c == '>' || c >= utf8.RuneSelf {
			clean = false
			break
		}
	}
	if clean {
		return append(b, s...)
	}
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '\t' || r == '\n':
			b = append(b, byte(r))
		case r == '\r':
			b = append(b, "&#xD;"...)
		case r == 0x1b && i < len(s) && s[i] >= 0x40 && s[i] <= 0x5f:
			b = utf8.AppendRune(b, rune(s[i])+0x40) // ESC Fe -> C1
			i++
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r == utf8.RuneError && size == 1:
			b = append(b, "\uFFFD"...)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// appendRawControls escapes only the markup characters of s and writes
// every other byte, control characters included, as it is.
func appendRawControls(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}
