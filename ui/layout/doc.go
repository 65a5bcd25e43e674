// Package layout keeps the house's rules as a test: what may import what
// (the layers of the README's layout, imports pointing down), that only
// awsops imports the AWS SDK, that only package model changes a copy's
// phase, and that only the tracker's package steps copies. It has no code
// of its own.
package layout
