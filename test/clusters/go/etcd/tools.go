//go:build tools

// Package tools pins the etcd server command so that `go build` can build it
// from this module with the versions recorded in go.mod and go.sum.
package tools

import (
	_ "go.etcd.io/etcd/server/v3"
)
