// Package textsafe makes text that comes from AWS (descriptions, tags,
// state messages) safe to print on a terminal: no control character or
// escape sequence reaches the screen; each is shown as a visible placeholder.
package textsafe

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Clean returns s with every control character replaced by a visible
// placeholder: ESC as "␛", other C0 characters as their Unicode control
// picture (BEL as "␇", tab as "␉", newline as "␤"), DEL as "␡", C1
// characters and invalid UTF-8 as "�". Printable text, including
// non-Latin scripts, is kept as it is.
func Clean(s string) string {
	if isClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == 0x1b:
			b.WriteRune('␛')
		case r == '\n':
			b.WriteRune('␤')
		case r < 0x20:
			b.WriteRune(0x2400 + r) // Unicode control pictures
		case r == 0x7f:
			b.WriteRune('␡')
		case r >= 0x80 && r < 0xa0:
			b.WriteRune('\uFFFD')
		case r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r):
			// line/paragraph separators and bidi overrides can rearrange
			// what the operator sees; show them as replacement characters
			b.WriteRune('\uFFFD')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isClean is the fast path: most text from AWS needs no change.
func isClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			return cleanRunes(s[i:])
		}
	}
	return true
}

func cleanRunes(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			return false
		}
	}
	return true
}

// Strip removes control characters instead of showing them: for text that
// is put back into a request (a copy's description prefilled from the
// source's), where AWS would refuse control characters. Whole escape
// sequences go, not only their ESC, so "web\x1b[31m root" becomes "web root".
func Strip(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] == 0x1b {
			i += escapeLen(s[i:])
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if n := c1Len(r, s[i+size:]); n >= 0 {
			// An 8-bit introducer (CSI U+009B, OSC U+009D, ...) and what it
			// introduces go together, as with ESC.
			i += size + n
			continue
		}
		i += size
		if r < 0x20 || (r >= 0x7f && r < 0xa0) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// escapeLen is the length of the escape sequence at the start of s (which
// begins with ESC): CSI "ESC [ params final", OSC "ESC ] ... BEL or ESC \",
// or ESC and one more character.
func escapeLen(s string) int {
	if len(s) < 2 {
		return len(s)
	}
	switch s[1] {
	case '[':
		for i := 2; i < len(s); i++ {
			if s[i] >= 0x40 && s[i] <= 0x7e {
				return i + 1
			}
		}
		return len(s)
	case ']', 'P', '_', '^':
		for i := 2; i < len(s); i++ {
			if s[i] == 0x07 {
				return i + 1
			}
			if s[i] == 0x1b && i+1 < len(s) && s[i+1] == '\\' {
				return i + 2
			}
		}
		return len(s)
	}
	_, size := utf8.DecodeRuneInString(s[1:])
	return 1 + size
}

// c1Len is, for an 8-bit C1 introducer r, the length of the rest of its
// sequence in rest (-1 when r is not one): CSI runs to its final byte,
// OSC, DCS, APC and PM to BEL or ST (U+009C or ESC \).
func c1Len(r rune, rest string) int {
	switch r {
	case '\u009b':
		return escapeLen("\x1b["+rest) - 2
	case '\u009d', '\u0090', '\u009f', '\u009e':
		for i := 0; i < len(rest); {
			c, size := utf8.DecodeRuneInString(rest[i:])
			switch {
			case c == 0x07 || c == '\u009c':
				return i + size
			case c == 0x1b && i+1 < len(rest) && rest[i+1] == '\\':
				return i + 2
			}
			i += size
		}
		return len(rest)
	}
	return -1
}
