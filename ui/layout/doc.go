// Package layout keeps the house's rules (../shared/STYLE.md) as a test:
// what may import what, that only the aws-sdk-go-v2 reaches AWS through
// awsops, that only package model changes a copy's phase, and that only
// the tracker's package steps copies. It has no code of its own.
package layout
