// Package layout keeps the house's rules as a test: what may import what
// (the layers of the README's layout, imports pointing down), that only
// awsops imports the AWS SDK, that only package model changes a copy's
// phase, that only the tracker's package steps copies, and that cobra stays
// in the command line's package (its man page generator out of snapcopy).
// It has no code of its own.
package layout
